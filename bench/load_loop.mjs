// Loads the page again and again in one browser and counts how each load
// ends: ready (threaded, or on one thread after the page's start-up
// watchdog replaced a stuck worker pair) or stuck (not ready in 45 s).
// Firefox's threaded pool start-up hung in ~4% of loads before the watchdog.
// usage: node bench/load_loop.mjs [--engine firefox|chromium|webkit] [--loads N] [--site DIR]
import path from "node:path";
import { spawn } from "node:child_process";

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const root = path.resolve(new URL("..", import.meta.url).pathname);
const engine = option("--engine", "firefox"), loads = Number(option("--loads", 200));
const site = path.resolve(option("--site", path.join(root, "build-wasm/site")));

const server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs"), site, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
process.on("exit", () => server.kill()); // also when the run fails
const base = await new Promise((r) => server.stdout.on("data", (c) => { const m = /http:\/\/[^\s]+\//.exec(String(c)); if (m) r(m[0]); }));
// The browser tests' engines (tests/browser_e2e/engines): one page per load.
const browser = await (await import(`../tests/browser_e2e/engines/${engine}.mjs`)).launch();
let ready = 0, rescued = 0, stuck = 0, threaded = 0, restartedThreaded = 0;
const times = [];
for (let i = 0; i < loads; i++) {
  const page = await browser.newPage();
  const start = Date.now();
  await page.goto(base);
  try {
    await page.waitForFunction(() => window.tinydiff?.status().ready, null, { timeout: 45000, polling: 50 });
    ready++;
    times.push(Date.now() - start);
    const s = await page.evaluate(() => ({ banner: document.getElementById("banner").hidden ? "" : document.getElementById("banner-text").textContent,
      maxThreads: window.tinydiff.status().maxThreads }));
    if (/did not start within/.test(s.banner)) rescued++;
    if (/it was started again/.test(s.banner)) restartedThreaded++;
    if (s.maxThreads > 1) threaded++;
  } catch {
    stuck++;
  }
  await page.close();
  if ((i + 1) % 50 === 0) console.log(`${i + 1} loads: ready ${ready} (threaded ${threaded}, rescued ${rescued}), stuck ${stuck}`);
}
times.sort((a, b) => a - b);
console.log(`${engine}: ${loads} loads, ready ${ready} (threaded ${threaded}; after the start-up watchdog ${rescued}, of them restarted threaded ${restartedThreaded}), stuck ${stuck}; ready after median ${times[times.length >> 1]} ms, longest ${times.at(-1)} ms`);
await browser.close();
server.kill();
