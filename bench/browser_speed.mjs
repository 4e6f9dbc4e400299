// Training speed of the wasm builds in headless chromium, each configuration
// in a Web Worker as the page runs it: steps/s at batch 32 / 256 / 1000 with
// the single-threaded build and the threaded one on 1 and 2 threads (or
// --threads N). Rounds alternate the configurations; medians. Serves a
// folder of its own (the site's wasm files and browser/speed_worker.js) with
// the cross-origin isolation headers.
// --tfjs adds TensorFlow.js 4.22 (bench/tfjs: the same MLP, AdamW and
// clipping; its wasm backend with SIMD on one thread), in the same browser.
// --sse-native BINARY adds the native SSE2 build to each round (below).
// usage: node bench/browser_speed.mjs [--rounds 3] [--seconds 2] [--batches 32,256,1000] [--threads 2] [--tfjs]
//        [--sse-native build-sse/bench/tinydiff_bench_e2e] [--json] [--verbose]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile, spawn } from "node:child_process";
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
// --sse-native BINARY: bench/e2e_native.cpp built for a generic x86-64
// (build-sse/: SSE2, the wasm build's SIMD width), measured right after the
// single-threaded wasm build in each round.
const sseNative = option("--sse-native", null);
if (sseNative && !fs.existsSync(sseNative)) {
  console.error(`bench/browser_speed.mjs --sse-native: ${sseNative} does not exist (scripts/bench.sh builds it)`);
  process.exit(1);
}
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
  if (sseNative) configs.push({ build: "sse-native", threads: 1, batch });
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
  // One configuration's steps/s: a fresh worker each time, so that no idle
  // pool or worker of another configuration lingers.
  const measureInWorker = (config) => page.evaluate(async ({ config, seconds }) => {
    const ask = (w, msg, type) => new Promise((resolve, reject) => {
      w.onmessage = ({ data }) => (data.type === "error" ? reject(new Error(data.message)) : data.type === type && resolve(data));
      w.postMessage(msg);
    });
    const w = config.build.startsWith("tfjs") ? new Worker("tfjs_worker.js") : new Worker("speed_worker.js", { type: "module" });
    try {
      const ready = await ask(w, { type: "init", ...config }, "ready");
      if (ready.threads !== config.threads) throw new Error(`asked ${config.threads} threads, got ${ready.threads}`);
      return (await ask(w, { type: "measure", seconds }, "measured")).stepsPerSecond;
    } finally {
      w.terminate();
    }
  }, { config, seconds });
  const measureNative = (config) => new Promise((resolve, reject) => {
    execFile(sseNative, ["--seconds", String(seconds), String(config.batch), "1"], (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout).train_steps_per_s);
    });
  });
  // Rounds alternate the configurations, so that the figures of one round
  // were measured seconds apart and their ratios are paired.
  const results = configs.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < configs.length; i++) {
      if (args.includes("--verbose")) console.error(`round ${r} config ${JSON.stringify(configs[i])}`);
      results[i].push(configs[i].build === "sse-native" ? await measureNative(configs[i]) : await measureInWorker(configs[i]));
    }
  }
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const rows = configs.map((c, i) => ({ ...c, stepsPerSecond: median(results[i]), all: results[i] }));
  if (args.includes("--json")) console.log(JSON.stringify(rows));
  else {
    // Ratios: the median over the rounds of each round's own ratio, so that
    // the machine's drift between rounds cancels out.
    const all = (batch, build, threads) => rows.find((r) => r.batch === batch && r.build === build && r.threads === threads).all;
    const pairedRatio = (a, b) => median(a.map((x, r) => x / b[r]));
    console.log(`# wasm training speed in headless chromium (steps/s, median of ${rounds} rounds of ${seconds} s; ${os.cpus().length} cores;` +
      " ratios: median of the rounds' own ratios)");
    console.log("| batch | single-threaded build | " + (sseNative ? "native SSE2 | single / SSE2 | " : "") + "threaded build, " +
      Array.from({ length: maxThreads }, (_, t) => `${t + 1} thread${t ? "s" : ""}`).join(" | ") +
      ` | ${maxThreads} threads / 1 (threaded build) | ${maxThreads} threads / single |` + (tfjs ? " TF.js wasm (SIMD, 1 thread) | single / TF.js |" : ""));
    console.log("|---:|---:|" + (sseNative ? "---:|---:|" : "") + "---:|".repeat(maxThreads) + "---:|---:|" + (tfjs ? "---:|---:|" : ""));
    for (const batch of batches) {
      const single = all(batch, "single", 1);
      const threaded = Array.from({ length: maxThreads }, (_, t) => all(batch, "threads", t + 1));
      const sse = sseNative ? all(batch, "sse-native", 1) : null;
      const tf = tfjs ? all(batch, "tfjs-wasm", 1) : null;
      console.log(`| ${batch} | ${median(single).toFixed(1)} | ` +
        (sse ? `${median(sse).toFixed(1)} | ${pairedRatio(single, sse).toFixed(2)}x | ` : "") +
        `${threaded.map((v) => median(v).toFixed(1)).join(" | ")} | ${pairedRatio(threaded[maxThreads - 1], threaded[0]).toFixed(2)}x | ` +
        `${pairedRatio(threaded[maxThreads - 1], single).toFixed(2)}x |` +
        (tf ? ` ${median(tf).toFixed(2)} | ${pairedRatio(single, tf).toFixed(1)}x |` : ""));
    }
  }
} finally {
  await browser.close();
  server.kill();
  fs.rmSync(dir, { recursive: true, force: true });
}
