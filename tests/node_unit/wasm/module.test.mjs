// The wasm module's API under node (node --test), imported as the npm
// package a user installs (package_test.sh puts it in tests/node_modules).
import { test } from "node:test";
import assert from "node:assert/strict";
import createTinyDiff from "tinydiff";

const M = await createTinyDiff();

const small = { hiddenSize: 32, hiddenLayers: 1, embeddingSize: 16, seed: 1 };

test("defaults are the reference's", () => {
  const d = M.defaultConfig();
  assert.equal(d.hiddenSize, 128);
  assert.equal(d.hiddenLayers, 3);
  assert.equal(d.embeddingSize, 128);
  assert.equal(d.timeEmbedding, "sinusoidal");
  assert.equal(d.inputEmbedding, "sinusoidal");
  assert.equal(d.numTimesteps, 50);
  assert.equal(d.betaSchedule, "linear");
  assert.equal(d.learningRate, 0.001);
  assert.equal(d.batchSize, 32);
  assert.equal(d.numClasses, 0);
  assert.equal(d.classDropout, 0.1);
  assert.equal(d.flowTime, "uniform");
  assert.deepEqual(M.datasetNames(), ["dino", "moons", "line", "circle", "two_moons", "dino_in_circle", "eight_gaussians"]);
  const model = new M.Diffusion();
  assert.equal(model.numTimesteps(), 50);
  assert.equal(model.config().hiddenSize, 128);
  model.delete();
});

test("bad config values throw Errors naming the field and the range", () => {
  const cases = [
    [{ hiddenSize: 0 }, /hiddenSize must be an integer from 1 to 4096 \(got 0\)/],
    [{ hiddenSize: 1.5 }, /hiddenSize must be an integer/],
    [{ hiddenSize: "64" }, /hiddenSize must be a number \(got string\)/],
    [{ hiddenLayers: -1 }, /hiddenLayers must be an integer from 0/],
    [{ embeddingSize: 7 }, /embeddingSize must be even/],
    [{ timeEmbedding: "identity" }, /timeEmbedding must be one of sinusoidal, learnable, linear, zero/],
    [{ inputEmbedding: "zero" }, /inputEmbedding must be one of/],
    [{ numTimesteps: 0 }, /numTimesteps must be an integer from 1/],
    [{ betaSchedule: "exp" }, /betaSchedule must be one of linear, quadratic, cosine, sigmoid/],
    [{ learningRate: NaN }, /learningRate must be a number/],
    [{ learningRate: -1 }, /learningRate must be a number greater than 0/],
    [{ batchSize: 0 }, /batchSize must be an integer from 1/],
    [{ betaStart: 0.5, betaEnd: 0.1 }, /betaStart must not exceed betaEnd/],
    [{ seed: -1 }, /seed must be an integer from 0/],
    [{ hiddenSiz: 3 }, /unknown config field "hiddenSiz"/],
  ];
  for (const [config, pattern] of cases) {
    assert.throws(() => new M.Diffusion(config), (e) => e instanceof Error && pattern.test(e.message), JSON.stringify(config));
  }
  assert.throws(() => new M.Diffusion(42), /config must be an object/);
});

test("missing fields take the defaults", () => {
  const model = new M.Diffusion({ hiddenSize: 16, learningRate: undefined });
  const c = model.config();
  assert.equal(c.hiddenSize, 16);
  assert.equal(c.learningRate, 0.001);
  assert.equal(c.embeddingSize, 128);
  model.delete();
});

test("data: presets, own points, and bad input", () => {
  const model = new M.Diffusion(small);
  assert.throws(() => model.step(), /no training data/);
  model.setDataset("dino", 500, 0);
  assert.equal(model.numPoints(), 500);
  const data = model.data();
  assert.ok(data instanceof Float32Array);
  assert.equal(data.length, 1000);
  assert.deepEqual(data, M.makeDataset("dino", 500, 0));
  model.setData(new Float32Array([0, 0, 1, 1, -1, 0.5]));
  assert.equal(model.numPoints(), 3);
  assert.equal(model.batchSize(), 3);
  model.setData([1, 2, 3, 4]); // plain arrays work too
  assert.equal(model.numPoints(), 2);
  assert.throws(() => model.setData(new Float32Array([1, 2, 3])), /odd count/);
  assert.throws(() => model.setData(new Float32Array([])), /empty/);
  assert.throws(() => model.setData(new Float32Array([1, NaN])), /non-finite/);
  assert.throws(() => model.setData("1,2"), /Float32Array/);
  assert.throws(() => model.setDataset("spiral", 10, 0), /dataset must be one of dino, moons, line, circle/);
  assert.throws(() => model.setDataset("dino", 0, 0), /number of points must be an integer from 1/);
  assert.equal(model.numPoints(), 2); // failed calls left the data alone
  model.delete();
});

test("step, train, stepCount and epoch", () => {
  const model = new M.Diffusion(small);
  model.setDataset("moons", 320, 1); // 10 steps an epoch
  assert.equal(model.stepsPerEpoch(), 10);
  const loss = model.step();
  assert.ok(Number.isFinite(loss) && loss > 0);
  assert.equal(model.stepCount(), 1);
  const mean = model.train(19);
  assert.ok(Number.isFinite(mean));
  assert.equal(model.stepCount(), 20);
  assert.equal(model.epoch(), 2);
  assert.throws(() => model.train(0), /steps must be an integer from 1/);
  model.delete();
});

test("setThreads: the single-threaded build trains on one whatever is asked; bad counts throw", () => {
  const model = new M.Diffusion({ ...small, batchSize: 64 });
  model.setDataset("moons", 320, 1);
  assert.equal(model.threads(), 1);
  model.setThreads(4); // no threads start in this build
  assert.equal(model.threads(), 1);
  assert.ok(Number.isFinite(model.train(3)));
  assert.throws(() => model.setThreads(0), /threads must be an integer from 1 to 64 \(got 0\)/);
  assert.throws(() => model.setThreads(1.5), /threads must be an integer/);
  model.delete();
});

test("sample, sampleFrames, forwardFrames, predict", () => {
  const model = new M.Diffusion(small);
  model.setDataset("circle", 1000, 0);
  model.train(50);
  const T = model.numTimesteps();
  const s = model.sample(100, 5);
  assert.ok(s instanceof Float32Array);
  assert.equal(s.length, 200);
  assert.deepEqual(model.sample(100, 5), s); // same seed, same samples
  assert.notDeepEqual(model.sample(100, 6), s);
  const frames = model.sampleFrames(100, 5);
  assert.equal(frames.length, (T + 1) * 200);
  assert.deepEqual(frames.subarray(T * 200), s); // the last frame is the sample
  const fwd = model.forwardFrames(100, 3);
  assert.equal(fwd.length, (T + 1) * 200);
  for (let i = 0; i < 100; i++) {
    const r = Math.hypot(fwd[2 * i], fwd[2 * i + 1]); // frame 0: circle data
    assert.ok(Math.abs(r - 3) < 0.1 || r < 0.1, `point ${i} at radius ${r}`);
  }
  const eps = model.predict(new Float32Array([0, 0, 1, 1]), 10);
  assert.equal(eps.length, 4);
  assert.ok(eps.every(Number.isFinite));
  assert.throws(() => model.predict(new Float32Array([0, 0]), T), /t must be an integer from 0 to 49/);
  assert.throws(() => model.predict(new Float32Array([0]), 1), /whole \(x, y\) pair/);
  assert.throws(() => model.sample(0, 1), /n must be an integer from 1/);
  assert.throws(() => model.sample(10, -2), /seed must be an integer/);
  model.delete();
});

test("returned arrays are copies; parametersView is a live view", () => {
  const model = new M.Diffusion(small);
  model.setDataset("line", 200, 0);
  const view = model.parametersView();
  assert.equal(view.length, model.numParameters());
  const before = view.slice();
  model.step();
  assert.notDeepEqual(model.parametersView().slice(), before); // the view sees updates
  const s = model.sample(10, 1);
  s[0] = 1234; // a copy: changing it changes nothing inside
  assert.notEqual(model.sample(10, 1)[0], 1234);
  model.delete();
});

test("a diverging learning rate stops with a clear error, keeping the model", () => {
  const model = new M.Diffusion({ learningRate: 10, seed: 2 });
  model.setDataset("dino", 256, 0);
  let steps = 0;
  while (!model.diverged() && steps < 50) {
    model.step();
    steps++;
  }
  assert.ok(model.diverged(), "lr 10 should diverge");
  assert.ok(model.parametersView().every(Number.isFinite));
  assert.throws(() => model.step(), /diverged/);
  model.delete();
});

test("qualityScore is 0 for identical sets and grows with a shift", () => {
  const data = M.makeDataset("dino", 300, 0);
  assert.equal(M.qualityScore(data, data, 0.1).chamfer, 0);
  const shifted = data.map((v, i) => (i % 2 === 0 ? v + 0.5 : v));
  const q = M.qualityScore(shifted, data, 0.1);
  assert.ok(q.chamfer > 0.3, `chamfer ${q.chamfer}`);
  assert.ok(q.precision < 1);
});

test("training moves samples toward the data", () => {
  const model = new M.Diffusion({ hiddenSize: 64, hiddenLayers: 2, embeddingSize: 32, seed: 3 });
  const data = M.makeDataset("moons", 4000, 0);
  model.setData(data);
  const before = M.qualityScore(model.sample(500, 1), data, 0.1).chamfer;
  model.train(2000);
  const after = M.qualityScore(model.sample(500, 1), data, 0.1).chamfer;
  assert.ok(after < 0.5 * before, `chamfer ${before} -> ${after}`);
});

test("saveModel and loadModel round-trip; a bad file leaves the model intact", () => {
  const a = new M.Diffusion({ hiddenSize: 24, hiddenLayers: 2, embeddingSize: 8, timeEmbedding: "learnable", numTimesteps: 30, seed: 4 });
  a.setDataset("moons", 300, 0);
  a.train(30);
  const file = a.saveModel();
  assert.ok(file instanceof Uint8Array);
  const b = new M.Diffusion(); // defaults: a different shape
  b.setDataset("dino", 100, 0);
  b.loadModel(file);
  assert.equal(b.config().hiddenSize, 24);
  assert.equal(b.config().timeEmbedding, "learnable");
  assert.equal(b.numTimesteps(), 30);
  assert.equal(b.numPoints(), 100); // the data stays
  assert.deepEqual(b.sample(20, 3), a.sample(20, 3));
  for (const bad of [new Uint8Array([1, 2, 3]), file.slice(0, file.length - 50), new Uint8Array(64)]) {
    assert.throws(() => b.loadModel(bad), (e) => e instanceof Error && e.message.length > 10);
    assert.equal(b.config().hiddenSize, 24); // unchanged
  }
  assert.throws(() => b.loadModel("model"), /Uint8Array/);
  a.delete();
  b.delete();
});

test("sample options: DDIM with fewer steps, eta, and clear errors", () => {
  const model = new M.Diffusion(small);
  model.setDataset("moons", 300, 0);
  model.train(30);
  const T = model.numTimesteps();
  assert.equal(model.sampleFrames(10, 1, { sampler: "ddim", steps: 10 }).length, 11 * 20);
  assert.deepEqual(model.sample(10, 1, { sampler: "ddim", steps: 10, eta: 0 }), model.sample(10, 1, { sampler: "ddim", steps: 10 }));
  assert.notDeepEqual(model.sample(10, 1, { sampler: "ddim", steps: 10, eta: 1 }), model.sample(10, 1, { sampler: "ddim", steps: 10 }));
  assert.deepEqual(model.sample(10, 1, {}), model.sample(10, 1)); // defaults: DDPM
  assert.deepEqual(model.sampleFrames(10, 1, { sampler: "ddim" }).subarray(0, 20), model.sampleFrames(10, 1).subarray(0, 20));
  assert.throws(() => model.sample(10, 1, { sampler: "lms" }), /sampler must be one of ddpm, ddim, dpm-solver, euler, heun/);
  assert.throws(() => model.sample(10, 1, { sampler: "euler" }), /eps objective samples with ddpm, ddim, dpm-solver \(got sampler euler\)/);
  // DPM-Solver++(2M): the same options, its own samples, deterministic at eta 0.
  const solver = { sampler: "dpm-solver", steps: 10 };
  assert.equal(model.sampleFrames(10, 1, solver).length, 11 * 20);
  assert.deepEqual(model.sample(10, 1, solver), model.sample(10, 1, solver));
  assert.notDeepEqual(model.sample(10, 1, solver), model.sample(10, 1, { sampler: "ddim", steps: 10 }));
  assert.throws(() => model.sample(10, 1, { sampler: "ddim", steps: T + 1 }), /steps must be an integer from 1 to 50/);
  assert.throws(() => model.sample(10, 1, { sampler: "ddim", eta: 2 }), /eta must be a number from 0 to 1/);
  assert.throws(() => model.sample(10, 1, { steps: 10 }), /DDPM sampler takes all 50 steps/);
  assert.throws(() => model.sample(10, 1, { stepz: 10 }), /unknown sampling option "stepz" \(known: sampler, denoiser, steps, eta, clipX0, classLabel, guidance\)/);
  assert.throws(() => model.sample(10, 1, { sampler: "ddim", clipX0: -1 }), /clipX0 must be a number from 0/);
  assert.equal(model.sample(10, 1, { sampler: "ddim", steps: 5, clipX0: 0.5 }).every((v) => Math.abs(v) <= 0.5), true);
  model.delete();
});

test("a second model draws the same samples from a copy of the weights that sample", () => {
  const config = { ...small, emaDecay: 0.99 };
  const trained = new M.Diffusion(config);
  trained.setDataset("moons", 500, 0);
  trained.train(100);
  const weights = trained.modelParameters();
  assert.equal(weights.length, trained.numParameters());
  const viewer = new M.Diffusion({ ...config, emaDecay: 0 });
  viewer.setParameters(weights);
  assert.deepEqual(viewer.sample(50, 3, { sampler: "dpm-solver", steps: 10 }), trained.sample(50, 3, { sampler: "dpm-solver", steps: 10 }));
  assert.throws(() => viewer.setParameters(new Float32Array(3)), new RegExp(`the weights must be ${weights.length} floats \\(got 3\\)`));
  assert.throws(() => viewer.setParameters("weights"), /setParameters\(params\) must be a Float32Array/);
  trained.delete();
  viewer.delete();
});

test("the ideal denoiser, the marginal, the loss by timestep and the schedule", () => {
  const model = new M.Diffusion({ ...small, numTimesteps: 20 });
  assert.throws(() => model.idealPrediction(new Float32Array([0, 0]), 3), /no training data/);
  model.setData(new Float32Array([0.5, -1]));  // one point: E[eps | x_t] in closed form
  const { betas, alphasCumprod } = model.schedule();
  assert.equal(betas.length, 20);
  assert.equal(alphasCumprod.length, 20);
  assert.ok(alphasCumprod[0] > alphasCumprod[19]);
  const x = new Float32Array([1, 2, -3, 0.25]);
  const eps = model.idealPrediction(x, 7);
  const ab = alphasCumprod[7];
  for (let i = 0; i < 4; i++) {
    const expected = (x[i] - Math.sqrt(ab) * [0.5, -1][i % 2]) / Math.sqrt(1 - ab);
    assert.ok(Math.abs(eps[i] - expected) < 1e-4 * (1 + Math.abs(expected)), `eps[${i}]`);
  }
  const logQ = model.marginalLogDensity(x, 7);
  assert.equal(logQ.length, 2);
  assert.ok(logQ.every(Number.isFinite));
  for (const bad of [() => model.idealPrediction(x, 20), () => model.idealPrediction(new Float32Array([1]), 0),
    () => model.marginalLogDensity(x, -1), () => model.lossByTimestep(0, 1),
    () => model.lossByTimestep(10, 1, { denoiser: "oracle" }), () => model.lossByTimestep(10, 1, { sampler: "ddim" })]) {
    assert.throws(bad, Error);
  }
  model.setDataset("moons", 500, 0);
  model.train(300);
  const network = model.lossByTimestep(300, 4);
  const ideal = model.lossByTimestep(300, 4, { denoiser: "ideal" });
  assert.equal(network.length, 20);
  assert.ok(ideal.every((v) => v > 0 && v < 2));
  assert.ok(network.reduce((a, b) => a + b) > ideal.reduce((a, b) => a + b), "the network's loss lies above the floor");
  model.delete();
});

test("reverseProcess, sampling with the ideal denoiser and the sampler sweep", () => {
  const model = new M.Diffusion({ ...small, numTimesteps: 20 });
  model.setDataset("moons", 300, 1);
  model.train(100);
  const run = model.reverseProcess(10, 2, { sampler: "ddim", steps: 5 });
  assert.equal(run.frames.length, 6 * 20);
  assert.equal(run.predictedData.length, 5 * 20);
  assert.deepEqual([...run.timesteps], [19, 12, 6, 2, 0]);
  assert.deepEqual(run.frames.slice(100), model.sample(10, 2, { sampler: "ddim", steps: 5 }));
  const memorised = model.sample(200, 3, { denoiser: "ideal" });
  const near = M.qualityScore(memorised, model.data(), 0.01);
  assert.ok(near.precision > 0.9, `ideal samples on training points: ${near.precision}`);
  const rows = model.samplerSweep(40, 1, { steps: [2, 20], clipX0: 3 });
  assert.equal(rows.length, 2 * (1 + 2 * 2));
  assert.deepEqual(Object.keys(rows[0]).sort(), ["chamfer", "denoiser", "memorised", "msPerSample", "sampler", "steps", "w2"]);
  assert.ok(rows.some((r) => r.denoiser === "ideal" && r.memorised > 0.5));
  assert.throws(() => model.samplerSweep(40, 1, { steps: [21] }), /steps must be integers from 1 to 20/);
  assert.throws(() => model.samplerSweep(40, 1, { ideal: "yes" }), /ideal must be true or false/);
  assert.throws(() => model.samplerSweep(40, 1, { junk: 1 }), /unknown option/);
  model.delete();
});

test("a flow model: trains, samples with Euler and Heun only, and every view works on t in [0, 1]", () => {
  const squared = new M.Diffusion({ ...small, objective: "flow", flowTime: "squared" });
  assert.equal(squared.config().flowTime, "squared");
  squared.delete();
  assert.throws(() => new M.Diffusion({ flowTime: "cubed" }), /flowTime must be one of uniform, squared \(got "cubed"\)/);
  const model = new M.Diffusion({ ...small, objective: "flow", numTimesteps: 20 });
  assert.equal(model.config().objective, "flow");
  model.setDataset("moons", 400, 2);
  const before = model.lossByTimestep(64, 1);
  model.train(400);
  assert.ok(model.lossByTimestep(64, 1).reduce((a, b) => a + b) < before.reduce((a, b) => a + b), "training lowers the flow loss");
  for (const sampler of ["euler", "heun"]) {
    const xy = model.sample(50, 3, { sampler, steps: 8 });
    assert.equal(xy.length, 100);
    assert.ok(xy.every(Number.isFinite), sampler);
  }
  assert.throws(() => model.sample(10, 1), /flow objective samples with euler, heun \(got sampler ddpm\)/);
  const run = model.reverseProcess(10, 2, { sampler: "heun", steps: 4 });
  assert.deepEqual([...run.times].map((t) => +t.toFixed(3)), [1, 0.75, 0.5, 0.25]);
  assert.equal(run.timesteps.length, 0);
  assert.equal(run.frames.length, 5 * 20);
  const grid = new Float32Array([0, 0, 1, -1]);
  assert.equal(model.predict(grid, 0.5).length, 4);
  assert.equal(model.idealPrediction(grid, 0.25).length, 4);
  assert.ok(model.marginalLogDensity(grid, 0.7).every(Number.isFinite));
  assert.throws(() => model.predict(grid, 1.5), /t must be a number from 0 to 1/);
  const memorised = M.qualityScore(model.sample(100, 4, { sampler: "euler", steps: 100, denoiser: "ideal" }), model.data(), 0.01);
  assert.ok(memorised.precision > 0.8, `the ideal velocity memorises too: ${memorised.precision}`);
  const rows = model.samplerSweep(20, 1, { steps: [2, 5] });
  assert.deepEqual([...new Set(rows.map((r) => r.sampler))], ["euler", "heun"]);
  const file = model.saveModel();
  const copy = new M.Diffusion();
  copy.loadModel(file);
  assert.equal(copy.config().objective, "flow", "the objective survives the model file");
  copy.delete();
  model.delete();
});

test("a conditional model: labelled data, a class to draw, guidance, and clear errors", () => {
  const preset = M.makePoints("two_moons", 400, 1);
  assert.equal(preset.labels.length, 400);
  assert.deepEqual([...new Set(preset.labels)].sort(), [0, 1]);
  assert.equal(M.makePoints("dino", 10, 1).labels.length, 0);
  const model = new M.Diffusion({ ...small, numClasses: 2, classDropout: 0.2 });
  assert.equal(model.numClasses(), 2);
  assert.equal(model.config().classDropout, 0.2);
  assert.throws(() => model.setData(preset.xy), /a model of 2 classes needs one label per point/);
  assert.throws(() => model.setData(preset.xy, new Int32Array(400).fill(2)), /label 2 of point 1 is not a class of this model \(0 to 1\)/);
  assert.throws(() => model.setData(new Float32Array([0, 0]), [1.5]), /labels\[0\] must be a class number from 0 to 7/);
  model.setData(preset.xy, preset.labels);
  assert.deepEqual([...model.labels()], [...preset.labels]);
  assert.deepEqual([...model.classProportions()], [0.5, 0.5]);
  model.train(300);
  const one = model.sample(40, 3, { classLabel: 1, guidance: 3 });
  assert.equal(one.length, 80);
  assert.deepEqual([...new Set(model.sampleClasses(40, 3, { classLabel: 1 }))], [1]);
  assert.equal(model.sampleClasses(40, 3).length, 40);
  // w = 0 is the unconditional model: the class makes no difference.
  assert.deepEqual([...model.sample(20, 5, { classLabel: 0, guidance: 0 })], [...model.sample(20, 5, { classLabel: 1, guidance: 0 })]);
  assert.throws(() => model.sample(5, 1, { classLabel: 2 }), /class must be from 0 to 1, or all \(got 2\)/);
  assert.throws(() => model.sample(5, 1, { guidance: -1 }), /guidance must be a number from 0 to 100/);
  // Predictions for a class: guided, and unconditional without a class.
  const grid = new Float32Array([0, 0, 1, -1]);
  assert.deepEqual([...model.predict(grid, 10, { classLabel: 1, guidance: 0 })], [...model.predict(grid, 10)]);
  assert.notDeepEqual([...model.predict(grid, 10, { classLabel: 1, guidance: 3 })], [...model.predict(grid, 10)]);
  assert.equal(model.idealPrediction(grid, 10, { classLabel: 0 }).length, 4);
  assert.throws(() => model.predict(grid, 10, { classLabel: 2 }), /class must be from 0 to 1/);
  const chain = model.forwardProcess(30, 4);
  assert.deepEqual([...chain.frames], [...model.forwardFrames(30, 4)]);
  assert.equal(chain.labels.length, 30);
  for (let i = 0; i < 30; i++) {  // each followed point starts on a data point of its class
    const x = chain.frames[2 * i], y = chain.frames[2 * i + 1];
    const j = [...Array(400).keys()].find((k) => preset.xy[2 * k] === x && preset.xy[2 * k + 1] === y);
    assert.equal(chain.labels[i], preset.labels[j]);
  }
  const run = model.reverseProcess(6, 2, { classLabel: 0 });
  assert.deepEqual([...run.labels], [0, 0, 0, 0, 0, 0]);
  // The model file keeps the classes.
  const copy = new M.Diffusion();
  copy.loadModel(model.saveModel());
  assert.equal(copy.numClasses(), 2);
  assert.deepEqual([...copy.sample(10, 7, { classLabel: 1, guidance: 2 })], [...model.sample(10, 7, { classLabel: 1, guidance: 2 })]);
  copy.delete();
  const plain = new M.Diffusion(small);
  assert.throws(() => plain.setData(preset.xy, preset.labels), /the points have labels but the model has no classes/);
  plain.setDataset("two_moons", 100, 1);  // an unconditional model takes a labelled preset's points
  assert.equal(plain.labels().length, 0);
  assert.throws(() => plain.sample(5, 1, { classLabel: 0 }), /this model has no classes/);
  plain.delete();
  model.delete();
});
