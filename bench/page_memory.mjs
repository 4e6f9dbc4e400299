// Memory over a long training run in the page (docs/reliability.md): press
// Train on the default dino and, every --every seconds for --minutes
// minutes, read the page's JS heap (performance.memory), the whole page's
// memory with its workers (performance.measureUserAgentSpecificMemory, which
// a cross-origin isolated page may call) and each worker's wasm memory
// (status().memory). Prints a Markdown table; flat columns mean no leak.
// usage: node bench/page_memory.mjs [--minutes 10] [--every 60] [--hash "threads=2"]
import path from "node:path";
import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const minutes = Number(option("--minutes", 10));
const every = Number(option("--every", 60));
const hash = option("--hash", "");
const root = path.resolve(new URL("..", import.meta.url).pathname);
const { chromium } = await import(pathToFileURL(path.join(root, "tests/node_modules/playwright-core/index.mjs")).href);

const server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs"), path.join(root, "build-wasm/site"), "--port", "0"],
  { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve) => server.stdout.on("data", (c) => { const m = /http:\/\/\S+\//.exec(String(c)); if (m) resolve(m[0]); }));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-precise-memory-info", "--js-flags=--expose-gc"] });
const mb = (bytes) => (bytes === null || bytes === undefined ? "–" : (bytes / 2 ** 20).toFixed(1));
try {
  const page = await browser.newPage();
  await page.goto(url + (hash ? `#${hash}` : ""));
  await page.waitForFunction(() => window.tinydiff?.status().ready && window.tinydiff.status().preview, null, { timeout: 60000 });
  await page.click("#play");
  console.log(`# ${minutes} minutes of training in the page${hash ? ` (#${hash})` : ""}, read every ${every} s`);
  console.log("| after | step | page JS heap (MB) | page + workers (MB) | training wasm (MB) | live-view wasm (MB) |");
  console.log("|---:|---:|---:|---:|---:|---:|");
  const t0 = Date.now();
  for (let k = 0; k <= Math.round((minutes * 60) / every); k++) {
    await page.waitForTimeout(Math.max(0, k * every * 1000 - (Date.now() - t0)));
    const m = await page.evaluate(async () => {
      if (window.gc) window.gc();
      const s = window.tinydiff.status();
      let all = null;
      if (self.crossOriginIsolated && performance.measureUserAgentSpecificMemory) {
        all = (await performance.measureUserAgentSpecificMemory()).bytes;
      }
      return { step: s.step, heap: s.memory.pageHeap, all, training: s.memory.trainingWasm, preview: s.memory.previewWasm,
        playing: s.playing };
    });
    if (!m.playing) throw new Error("training stopped");
    console.log(`| ${((Date.now() - t0) / 60000).toFixed(1)} min | ${m.step} | ${mb(m.heap)} | ${mb(m.all)} | ${mb(m.training)} | ${mb(m.preview)} |`);
  }
} finally {
  await browser.close();
  server.kill();
}
