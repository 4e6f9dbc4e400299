// The straight-paths calls of the wasm module: the exact W2, the OT
// coupling as a config field, reflow pairs and training on them, and the
// straightness of a flow model's paths.
import { test } from "node:test";
import assert from "node:assert/strict";
import createTinyDiff from "tinydiff";

const M = await createTinyDiff();
const flow = (extra = {}) => ({ ...M.defaultConfig(), hiddenSize: 32, embeddingSize: 32, objective: "flow", seed: 1, ...extra });

test("wasserstein2: 0 for a set and itself, the shift for a shifted set; sizes cut to the smaller", () => {
  const a = M.makeDataset("moons", 300, 1);
  assert.equal(M.wasserstein2(a, a), 0);
  const shifted = a.map((v, i) => v + (i % 2 ? -0.4 : 0.3));
  assert.ok(Math.abs(M.wasserstein2(a, shifted) - 0.5) < 1e-5);
  const w = M.wasserstein2(a.subarray(0, 200), M.makeDataset("moons", 3000, 2), 3);
  assert.equal(w, M.wasserstein2(a.subarray(0, 200), M.makeDataset("moons", 3000, 2), 3));
  assert.throws(() => M.wasserstein2(new Float32Array(0), a), /needs points/);
});

test("coupling ot: a flow model's field, refused for noise prediction; it trains", () => {
  const model = new M.Diffusion(flow({ coupling: "ot" }));
  assert.equal(model.config().coupling, "ot");
  model.setData(M.makeDataset("moons", 400, 1));
  assert.ok(Number.isFinite(model.train(50)));
  model.delete();
  assert.throws(() => new M.Diffusion({ ...M.defaultConfig(), coupling: "ot" }), /coupling ot pairs noise with data for the flow objective: set objective to flow/);
  assert.throws(() => new M.Diffusion(flow({ coupling: "sinkhorn" })), /coupling must be one of independent, ot/);
});

test("reflowPairs, setPairs and straightness", () => {
  const model = new M.Diffusion(flow());
  model.setData(M.makeDataset("moons", 500, 1));
  model.train(300);
  const options = { sampler: "heun", steps: 8 };
  const pairs = model.reflowPairs(64, 5, options);
  assert.equal(pairs.noise.length, 128);
  assert.deepEqual(Array.from(pairs.xy), Array.from(model.sample(64, 5, options)));
  assert.equal(pairs.labels.length, 0);
  const straightness = model.straightness(200, 7);
  assert.ok(straightness > 0 && Number.isFinite(straightness));
  assert.equal(model.straightness(200, 7, { steps: 1 }), 0, "one Euler step is straight by construction");
  const student = new M.Diffusion(flow());
  student.setPairs(pairs.xy, pairs.noise);
  assert.equal(student.hasPairs(), true);
  assert.ok(Number.isFinite(student.train(20)));
  assert.throws(() => student.setPairs(pairs.xy, pairs.noise.subarray(0, 10)), /one noise point per data point/);
  student.delete();
  model.delete();
  const eps = new M.Diffusion({ ...M.defaultConfig(), hiddenSize: 16 });
  eps.setData(M.makeDataset("moons", 100, 1));
  assert.throws(() => eps.straightness(10, 1), /straightness is a flow model's/);
  eps.delete();
});

test("samplerSweep of a flow model: 1, 2, 4, 8, 16 and 100 steps, each with its W2", () => {
  const model = new M.Diffusion(flow());
  model.setData(M.makeDataset("moons", 300, 1));
  model.train(100);
  const rows = model.samplerSweep(50, 1, { ideal: false });
  assert.deepEqual([...new Set(rows.map((r) => r.steps))], [1, 2, 4, 8, 16, 100]);
  for (const r of rows) assert.ok(r.w2 > 0 && Number.isFinite(r.w2), JSON.stringify(r));
  model.delete();
});

test("logDensity: an unconditional model's exact log p(x), flow or noise prediction, higher on its data than far away; refused with classes", () => {
  const data = M.makeDataset("moons", 1000, 1);
  for (const config of [flow(), { ...flow(), objective: "eps" }]) {
    const model = new M.Diffusion(config);
    model.setData(data);
    model.train(1500);
    const logP = model.logDensity(new Float32Array([data[0], data[1], 5.5, 5.5]), 40);
    assert.ok(logP instanceof Float64Array && logP.length === 2);
    assert.ok(logP[0] > logP[1] + 5, `${config.objective}: on the data ${logP[0]}, far away ${logP[1]}`);
    assert.equal(model.logDensity(new Float32Array([0.1, 0.2])).length, 1);  // 100 steps by default
    model.delete();
  }
  const classes = new M.Diffusion({ ...M.defaultConfig(), hiddenSize: 16, numClasses: 2 });
  assert.throws(() => classes.logDensity(new Float32Array([0, 0])), /the exact log-density is an unconditional model's/);
  classes.delete();
});
