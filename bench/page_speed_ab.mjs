// Training speed of two builds of the page, side by side in one headless
// chromium: alternating rounds of a few seconds of training on each (the
// default dino, views closed), medians of the steps/s the page reports.
// For "this change costs nothing while its views are closed".
// usage: node bench/page_speed_ab.mjs SITE_A SITE_B [--rounds 6] [--seconds 4]
import path from "node:path";
import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const sites = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--"))).slice(0, 2);
if (sites.length !== 2) { console.error("usage: node bench/page_speed_ab.mjs SITE_A SITE_B [--rounds 6] [--seconds 4]"); process.exit(2); }
const rounds = Number(option("--rounds", 6)), seconds = Number(option("--seconds", 4));
const root = path.resolve(new URL("..", import.meta.url).pathname);
const { chromium } = await import(pathToFileURL(path.join(root, "tests/node_modules/playwright-core/index.mjs")).href);

const serve = (dir) => new Promise((resolve, reject) => {
  const server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs"), path.resolve(dir), "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  server.stdout.on("data", (chunk) => { const m = /http:\/\/[^\s]+\//.exec(String(chunk)); if (m) resolve({ server, url: m[0] }); });
  server.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
});
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const served = await Promise.all(sites.map(serve));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
try {
  const pages = [];
  for (const { url } of served) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(url);
    await page.waitForFunction(() => window.tinydiff && window.tinydiff.status().ready && window.tinydiff.status().preview, null, { timeout: 30000 });
    pages.push(page);
  }
  const rates = [[], []];
  for (let r = 0; r < rounds; r++) {
    for (let s = 0; s < 2; s++) {
      const page = pages[s];
      await page.bringToFront();
      const start = await page.evaluate(() => window.tinydiff.status().step);
      await page.click("#play");
      const t0 = Date.now();
      await page.waitForTimeout(seconds * 1000);
      await page.click("#play");
      const end = await page.evaluate(() => window.tinydiff.status().step);
      rates[s].push((end - start) / ((Date.now() - t0) / 1000));
    }
  }
  const [a, b] = rates.map(median);
  console.log(JSON.stringify({ sites, rounds, seconds, steps_per_s: rates.map((v) => v.map(Math.round)), median_a: Math.round(a), median_b: Math.round(b), b_over_a: +(b / a).toFixed(3) }));
} finally {
  await browser.close();
  for (const { server } of served) server.kill();
}
