// The wasm build agrees with the native core for the same seed and
// configuration: the native figures come from tinydiff_parity_dump
// (TINYDIFF_PARITY_DUMP, default build/tests/tinydiff_parity_dump).
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { execFileSync } from "node:child_process";
import createTinyDiff from "tinydiff";

const dump = process.env.TINYDIFF_PARITY_DUMP || path.resolve("build/tests/tinydiff_parity_dump");
const M = await createTinyDiff();
const native = JSON.parse(execFileSync(dump, { encoding: "utf8" }));

function close(actual, expected, atol, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    assert.ok(d <= atol, `${what}[${i}]: wasm ${actual[i]} vs native ${expected[i]} (|diff| ${d} > ${atol})`);
  }
}

test("wasm matches the native core for the same seed", () => {
  const model = new M.Diffusion({ hiddenSize: 64, hiddenLayers: 2, embeddingSize: 32, seed: 3 });
  const data = M.makeDataset("moons", 1000, 5);
  model.setData(data);
  // The RNG stream and the initialisation are integer maths: identical.
  close(data.subarray(0, 40), native.data_head, 1e-6, "dataset");
  close(model.parametersView().slice(0, 64), native.initial_params_head, 0, "initial parameters");
  // Float maths in another order (FMA vs mul+add, other GEMM kernels):
  // float32 tolerance (measured: 1e-7 on outputs and parameters, 2e-6 on
  // samples after 50 denoising steps).
  close(model.predict(new Float32Array([0.5, -1, 2, 0.25, -3, 1.5]), 10), native.initial_predict_t10, 1e-6, "predict");
  const losses = [];
  for (let i = 0; i < 20; i++) losses.push(model.step());
  close(losses, native.losses, 1e-5, "losses");
  close(model.parametersView().slice(0, 64), native.params_after_20_head, 1e-6, "parameters after 20 steps");
  close(model.sample(50, 9), native.sample_after_20, 1e-4, "samples");
  const f = model.forwardFrames(20, 4);
  close(f.subarray(f.length - 40), native.forward_frames_last, 1e-5, "forward frames");
  assert.equal(model.epoch(), native.epoch);
  assert.equal(model.stepCount(), native.step_count);
  model.delete();
});
