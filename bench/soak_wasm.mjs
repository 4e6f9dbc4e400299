// Long-run check of the wasm build under node: trains the default model and
// prints, every tenth of the way, the wasm heap size, the process RSS and the
// rate of that stretch. usage: node bench/soak_wasm.mjs [steps]  (default 1,000,000)
import path from "node:path";
import { pathToFileURL } from "node:url";

const steps = Number(process.argv[2] || 1_000_000);
const root = path.resolve(new URL("..", import.meta.url).pathname);
const { default: createTinyDiff } = await import(pathToFileURL(path.join(root, "build-wasm/wasm_bindings/node.mjs")).href);
const M = await createTinyDiff();
const model = new M.Diffusion();
model.setDataset("dino", 8000, 0);
const stride = Math.floor(steps / 10);
console.log("step,wasm_heap_bytes,rss_kib,steps_per_s");
console.log(`0,${M.HEAP8.length},${Math.round(process.memoryUsage().rss / 1024)},`);
for (let done = 0; done < steps; done += stride) {
  const t0 = performance.now();
  for (let i = 0; i < stride; i += 1000) model.train(Math.min(1000, stride - i));
  const rate = stride / ((performance.now() - t0) / 1000);
  console.log(`${done + stride},${M.HEAP8.length},${Math.round(process.memoryUsage().rss / 1024)},${Math.round(rate)}`);
  if (model.diverged()) process.exit(1);
}
