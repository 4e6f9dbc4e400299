// End-to-end figures of the wasm build: under node, and (--browser) inside a
// module Web Worker in headless chromium. Prints JSON lines like
// bench/e2e_native.cpp. usage: node bench/e2e_wasm.mjs [--browser] [steps] [repeats]
import path from "node:path";
import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const browser = args.includes("--browser");
const [steps = 3000, repeats = 5] = args.filter((a) => !a.startsWith("--")).map(Number);
const root = path.resolve(new URL("..", import.meta.url).pathname);

// The measurement, as source: runs the same way under node and in a worker.
const measure = async (Module, steps, repeats) => {
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const model = new Module.Diffusion();
  model.setDataset("dino", 8000, 0);
  model.train(200);
  const rates = [], times = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    model.train(steps);
    rates.push(steps / ((performance.now() - t0) / 1000));
  }
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    model.sample(1000, r);
    times.push((performance.now() - t0) / 1000);
  }
  model.delete();
  return { train_steps_per_s: median(rates), sample_1000x50_s: median(times) };
};

if (!browser) {
  const { default: createTinyDiff } = await import(pathToFileURL(path.join(root, "build-wasm/wasm_bindings/node.mjs")).href);
  const result = await measure(await createTinyDiff(), steps, repeats);
  console.log(JSON.stringify({ implementation: "wasm (node " + process.version + ")", ...result }));
} else {
  const { chromium } = await import(pathToFileURL(path.join(root, "tests/node_modules/playwright-core/index.mjs")).href);
  const server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs"), path.join(root, "build-wasm/site"), "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve) => server.stdout.on("data", (c) => { const m = /http:\/\/\S+\//.exec(String(c)); if (m) resolve(m[0]); }));
  const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
  try {
    const page = await b.newPage();
    await page.goto(url + "protocol.js"); // any page of the origin
    const result = await page.evaluate(async ({ source, steps, repeats }) => {
      const code = `import createTinyDiff from "${location.origin}/tinydiff.js";
        const measure = ${source};
        const Module = await createTinyDiff();
        postMessage(await measure(Module, ${steps}, ${repeats}));`;
      const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })), { type: "module" });
      return await new Promise((resolve, reject) => { worker.onmessage = (e) => resolve(e.data); worker.onerror = (e) => reject(new Error(e.message)); });
    }, { source: measure.toString(), steps, repeats });
    console.log(JSON.stringify({ implementation: "wasm (chromium " + b.version() + ", Web Worker)", ...result }));
  } finally {
    await b.close();
    server.kill();
  }
}
