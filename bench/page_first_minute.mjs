// The page as a user meets it, measured in headless chromium through the
// automation hook (window.tinydiff.status / sample):
//   1. what is SHOWN: press Train, and at each mark read the samples on the
//      canvas (status().preview) and score them against the data; the lag of
//      the live view (training steps since its weights) in seconds;
//   2. what FRESH samples score at the same marks (1000 through sample(),
//      which takes the training worker's time: a fresh page for each mark);
//   3. training speed with the live view on and off (the "samples" box),
//      alternated in slices, medians.
// usage: node bench/page_first_minute.mjs [--site build-wasm/site] [--hash "T=250"] [--marks 1,2,3,5,10,30,60] [--speed-rounds 4] [--speed-only]
import path from "node:path";
import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const hash = option("--hash", "");
const marks = option("--marks", "1,2,3,5,10,30,60").split(",").map(Number);
const speedRounds = Number(option("--speed-rounds", 4));
const root = path.resolve(new URL("..", import.meta.url).pathname);
const site = path.resolve(option("--site", path.join(root, "build-wasm/site"))); // another build: before and after
const { chromium } = await import(pathToFileURL(path.join(root, "tests/node_modules/playwright-core/index.mjs")).href);
const { chamfer } = await import(pathToFileURL(path.join(root, "tests/browser_e2e/chamfer.mjs")).href);

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs"), site, "--port", "0"],
  { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve) => server.stdout.on("data", (c) => { const m = /http:\/\/\S+\//.exec(String(c)); if (m) resolve(m[0]); }));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });

async function open() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(url + (hash ? `#${hash}` : ""));
  await page.waitForFunction(() => window.tinydiff && window.tinydiff.status().ready && window.tinydiff.status().preview, null, { timeout: 60000 });
  return page;
}
const status = (page) => page.evaluate(() => {
  const s = window.tinydiff.status();
  return { step: s.step, stepsPerSecond: s.stepsPerSecond, data: Array.from(s.data),
    preview: s.preview && { step: s.preview.step, points: Array.from(s.preview.points), sampler: s.preview.sampler, steps: s.preview.steps } };
});
const subset = (xy, n) => { const stride = Math.max(1, Math.floor(xy.length / 2 / n)); return xy.filter((_, i) => Math.floor(i / 2) % stride === 0); };

try {
  const rows = [];
  if (!args.includes("--speed-only")) { // 1. shown
    const page = await open();
    await page.click("#play");
    const t0 = Date.now();
    for (const m of marks) {
      await page.waitForTimeout(Math.max(0, m * 1000 - (Date.now() - t0)));
      const s = await status(page);
      const data = subset(s.data, 2000);
      rows.push({ t: m, step: s.step, shown: chamfer(s.preview.points, data), shownCount: s.preview.points.length / 2, shownStep: s.preview.step,
        lagSeconds: (s.step - s.preview.step) / s.stepsPerSecond, shownBy: `${s.preview.sampler} ${s.preview.steps}` });
    }
    await page.close();
  }
  if (rows.length) { // 2. fresh: a page of its own for each mark, so that no earlier request took training time
    for (const row of rows) {
      const page = await open();
      await page.click("#play");
      const t0 = Date.now();
      await page.waitForTimeout(Math.max(0, row.t * 1000 - (Date.now() - t0)));
      const fresh = await page.evaluate(async () => ({ step: window.tinydiff.status().step, xy: Array.from(await window.tinydiff.sample(1000, 0)) }));
      const data = subset((await status(page)).data, 2000);
      row.fresh = chamfer(fresh.xy, data);
      row.freshStep = fresh.step;
      await page.close();
    }
  }
  if (rows.length) console.log(`# page first minute${hash ? ` (#${hash})` : ""}: Chamfer distance to the data (2000 of its points)`);
  if (rows.length) console.log("| after | steps | shown (the samples on the canvas) | live view behind by | drawn with | fresh 1000 (a page per mark) | its steps |");
  if (rows.length) console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) {
    console.log(`| ${r.t} s | ${r.step} | ${r.shown.toFixed(3)} (${r.shownCount}) | ${r.lagSeconds.toFixed(2)} s | ${r.shownBy} | ${r.fresh.toFixed(3)} | ${r.freshStep} |`);
  }

  // 3. speed with the live view on and off, alternated
  if (speedRounds > 0) {
    const page = await open();
    await page.click("#play");
    await page.waitForTimeout(2000);
    const rate = async (ms) => {
      const a = await page.evaluate(() => window.tinydiff.status().step);
      const t = Date.now();
      await page.waitForTimeout(ms);
      return ((await page.evaluate(() => window.tinydiff.status().step)) - a) / ((Date.now() - t) / 1000);
    };
    const on = [], off = [];
    for (let r = 0; r < speedRounds; r++) {
      await page.uncheck("#show-samples");
      await page.waitForTimeout(500);
      off.push(await rate(4000));
      await page.check("#show-samples");
      await page.waitForTimeout(500);
      on.push(await rate(4000));
    }
    await page.close();
    console.log(`\n# training steps/s in the page, ${speedRounds} alternating 4 s rounds, medians: live view on ${median(on).toFixed(0)}, ` +
      `off ${median(off).toFixed(0)}: ${(100 * median(on) / median(off)).toFixed(1)}% (on ${on.map(Math.round).join(" ")}; off ${off.map(Math.round).join(" ")})`);
  }
} finally {
  await browser.close();
  server.kill();
}
