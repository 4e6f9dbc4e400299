// Training speed of the wasm builds in headless chromium, each configuration
// in a Web Worker as the page runs it: steps/s at batch 32 / 256 / 1000 with
// the single-threaded build and the threaded one on 1 and 2 threads (or
// --threads N). Rounds alternate the configurations; medians. Serves a
// folder of its own (the site's wasm files and browser/speed_worker.js) with
// the cross-origin isolation headers.
// --tfjs adds TensorFlow.js 4.22 (bench/tfjs: the same MLP, AdamW and
// clipping; its wasm backend with SIMD on one thread), in the same browser.
// usage: node bench/browser_speed.mjs [--rounds 3] [--seconds 2] [--batches 32,256,1000] [--threads 2] [--tfjs] [--json]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const rounds = Number(option("--rounds", 3));
const seconds = Number(option("--seconds", 2));
const batches = option("--batches", "32,256,1000").split(",").map(Number);
const maxThreads = Number(option("--threads", 2));
const root = path.resolve(new URL("..", import.meta.url).pathname);
const site = path.join(root, "build-wasm/site");
const { chromium } = await import(pathToFileURL(path.join(root, "tests/node_modules/playwright-core/index.mjs")).href);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tinydiff-speed-"));
for (const f of ["tinydiff.js", "tinydiff.wasm", "tinydiff-threads.js", "tinydiff-threads.wasm", "tinydiff-threads.worker.js"]) {
  fs.copyFileSync(path.join(site, f), path.join(dir, f));
}
fs.copyFileSync(path.join(root, "bench/browser/speed_worker.js"), path.join(dir, "speed_worker.js"));
const tfjs = args.includes("--tfjs");
if (tfjs) {
  const tfDir = path.join(root, "bench/tfjs/node_modules/@tensorflow");
  if (!fs.existsSync(tfDir)) {
    console.error("bench/browser_speed.mjs --tfjs: run `npm ci` in bench/tfjs first");
    process.exit(1);
  }
  fs.copyFileSync(path.join(tfDir, "tfjs/dist/tf.es2017.min.js"), path.join(dir, "tf.js"));
  fs.copyFileSync(path.join(tfDir, "tfjs-backend-wasm/dist/tf-backend-wasm.es2017.min.js"), path.join(dir, "tf-backend-wasm.js"));
  for (const f of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"]) {
    fs.copyFileSync(path.join(tfDir, "tfjs-backend-wasm/dist", f), path.join(dir, f));
  }
  fs.copyFileSync(path.join(root, "bench/browser/tfjs_worker.js"), path.join(dir, "tfjs_worker.js"));
}
fs.writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>tinydiff speed</title>");

const configs = [];
for (const batch of batches) {
  configs.push({ build: "single", threads: 1, batch });
  for (let t = 1; t <= maxThreads; t++) configs.push({ build: "threads", threads: t, batch });
  if (tfjs) configs.push({ build: "tfjs-wasm", threads: 1, batch });
}

const server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs"), dir, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve) => server.stdout.on("data", (c) => { const m = /http:\/\/\S+\//.exec(String(c)); if (m) resolve(m[0]); }));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] });
try {
  const page = await browser.newPage();
  if (args.includes("--verbose")) page.on("console", (m) => console.error(m.text()));
  await page.goto(url);
  const results = await page.evaluate(async ({ configs, rounds, seconds }) => {
    const ask = (w, msg, type) => new Promise((resolve, reject) => {
      w.onmessage = ({ data }) => (data.type === "error" ? reject(new Error(data.message)) : data.type === type && resolve(data));
      w.postMessage(msg);
    });
    const rates = configs.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < configs.length; i++) {
        // A fresh worker each time, so that no idle pool or worker of another configuration lingers.
        const w = configs[i].build.startsWith("tfjs") ? new Worker("tfjs_worker.js") : new Worker("speed_worker.js", { type: "module" });
        console.log(`round ${r} config ${JSON.stringify(configs[i])}`);
        const ready = await ask(w, { type: "init", ...configs[i] }, "ready");
        if (ready.threads !== configs[i].threads) throw new Error(`asked ${configs[i].threads} threads, got ${ready.threads}`);
        rates[i].push((await ask(w, { type: "measure", seconds }, "measured")).stepsPerSecond);
        w.terminate();
      }
    }
    return rates;
  }, { configs, rounds, seconds });
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const rows = configs.map((c, i) => ({ ...c, stepsPerSecond: median(results[i]), all: results[i] }));
  if (args.includes("--json")) console.log(JSON.stringify(rows));
  else {
    console.log(`# wasm training speed in headless chromium (steps/s, median of ${rounds} rounds of ${seconds} s; ${os.cpus().length} cores)`);
    console.log("| batch | single-threaded build | threaded build, " + Array.from({ length: maxThreads }, (_, t) => `${t + 1} thread${t ? "s" : ""}`).join(" | ") + ` | ${maxThreads} threads / single |` + (tfjs ? " TF.js wasm (SIMD, 1 thread) | single / TF.js |" : ""));
    console.log("|---:|---:|" + "---:|".repeat(maxThreads) + "---:|" + (tfjs ? "---:|---:|" : ""));
    for (const batch of batches) {
      const of = (build, threads) => rows.find((r) => r.batch === batch && r.build === build && r.threads === threads).stepsPerSecond;
      const single = of("single", 1);
      const threaded = Array.from({ length: maxThreads }, (_, t) => of("threads", t + 1));
      const tf = tfjs ? of("tfjs-wasm", 1) : 0;
      console.log(`| ${batch} | ${single.toFixed(1)} | ${threaded.map((v) => v.toFixed(1)).join(" | ")} | ${(threaded[maxThreads - 1] / single).toFixed(2)}x |` +
        (tfjs ? ` ${tf.toFixed(2)} | ${(single / tf).toFixed(1)}x |` : ""));
    }
  }
} finally {
  await browser.close();
  server.kill();
  fs.rmSync(dir, { recursive: true, force: true });
}
