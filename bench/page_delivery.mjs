// What the page costs to deliver: bytes on a first and a repeat visit, and
// the time from navigation until it can train (status().ready), over a link
// like Lighthouse's mobile profile: a proxy in front of the server holds
// each response for a round trip (150 ms) and sends the bytes of all
// responses over one 1.6 Mbps link, for the page's and the workers' requests alike. --cpu-slowdown N slows
// the page's CPU N times as Lighthouse does (Chromium's DevTools throttling,
// Emulation.setCPUThrottlingRate, which slows the page's main thread; its
// workers, where the wasm compiles and runs, run at full speed).
// A repeat visit is served by the page's service worker from its copies.
// usage: node bench/page_delivery.mjs [--site DIR] [--server scripts/serve.mjs] [--runs N] [--rtt-ms 150] [--kbps 1600]
//        [--cpu-slowdown 4]
//        [--timeline]  (each request of the last first visit: start and end, ms after navigation)
import http from "node:http";
import path from "node:path";
import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const root = path.resolve(new URL("..", import.meta.url).pathname);
const { chromium } = await import(pathToFileURL(path.join(root, "tests/node_modules/playwright-core/index.mjs")).href);
const site = path.resolve(option("--site", path.join(root, "build-wasm/site")));
const serverScript = path.resolve(option("--server", path.join(root, "scripts/serve.mjs")));
const runs = Number(option("--runs", 3)), rttMs = Number(option("--rtt-ms", 150)), kbps = Number(option("--kbps", 1600));
const cpuSlowdown = Number(option("--cpu-slowdown", 1));

const server = spawn(process.execPath, [serverScript, site, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
process.on("exit", () => server.kill()); // also when the run fails
const origin = await new Promise((resolve) => server.stdout.on("data", (c) => { const m = /http:\/\/[^\s]+\//.exec(String(c)); if (m) resolve(new URL(m[0])); }));

// The paced link: each response waits a round trip, then its bytes share
// one link of `kbps` with every other response in flight (as a phone's
// link is shared), one response at a time per connection as the browser opens them.
const CHUNK = 4096;
let linkFreeAt = 0;
let bytes = 0, requests = 0, navigationStart = 0, timeline = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const proxy = http.createServer((req, res) => {
  const started = Date.now() - navigationStart;
  const upstream = http.request({ host: origin.hostname, port: origin.port, path: req.url, method: req.method, headers: req.headers }, async (up) => {
    const chunks = [];
    for await (const c of up) chunks.push(c);
    const body = Buffer.concat(chunks);
    requests++;
    bytes += body.length + 300; // ~300 bytes of headers
    await sleep(rttMs);
    res.writeHead(up.statusCode, up.headers);
    // One link for all responses: each 4 KB chunk waits for its turn on it.
    for (let i = 0; i < body.length; i += CHUNK) {
      const chunk = body.subarray(i, i + CHUNK);
      linkFreeAt = Math.max(Date.now(), linkFreeAt) + (chunk.length * 8) / kbps; // ms
      await sleep(linkFreeAt - Date.now());
      res.write(chunk);
    }
    res.end();
    timeline.push({ url: req.url, started, ended: Date.now() - navigationStart, kb: body.length / 1024, status: up.statusCode });
  });
  req.pipe(upstream);
});
await new Promise((r) => proxy.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${proxy.address().port}/`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
const visit = async (page) => {
  bytes = 0; requests = 0; timeline = [];
  const start = navigationStart = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => window.tinydiff?.status().ready, null, { timeout: 120000, polling: 20 });
  return { seconds: (Date.now() - start) / 1000, kb: bytes / 1024, requests };
};
const rows = [];
for (let r = 0; r < runs; r++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (cpuSlowdown > 1) await (await context.newCDPSession(page)).send("Emulation.setCPUThrottlingRate", { rate: cpuSlowdown });
  const first = await visit(page);
  first.timeline = timeline;
  // The page's service worker keeps the site once the page has started: wait for it.
  await page.waitForFunction(() => navigator.serviceWorker?.controller, null, { timeout: 15000 }).catch(() => {});
  await sleep(2000); // and kept its copies (revalidations, the build it had not seen)
  first.withCopiesKb = bytes / 1024;
  first.withCopiesRequests = requests;
  const repeat = await visit(page); // the same profile: its HTTP cache and service worker
  rows.push({ first, repeat });
  await context.close();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const line = (which) => `${which}: can train after ${median(rows.map((r) => r[which].seconds)).toFixed(1)} s, ${median(rows.map((r) => r[which].kb)).toFixed(0)} KB in ${median(rows.map((r) => r[which].requests))} requests`;
console.log(`# ${site} served by ${path.relative(root, serverScript) || serverScript}, ${rttMs} ms round trip, ${kbps} kbps, CPU ${cpuSlowdown}x slower, medians of ${runs}`);
console.log(line("first"));
console.log(`first, with the service worker's copies: ${median(rows.map((r) => r.first.withCopiesKb)).toFixed(0)} KB in ${median(rows.map((r) => r.first.withCopiesRequests))} requests`);
console.log(line("repeat"));
if (args.includes("--timeline")) {
  for (const t of rows.at(-1).first.timeline.sort((a, b) => a.started - b.started)) {
    console.log(`${String(t.started).padStart(6)} ${String(t.ended).padStart(6)} ms ${t.kb.toFixed(1).padStart(7)} KB ${t.status} ${t.url}`);
  }
}
await browser.close();
proxy.close();
server.kill();
