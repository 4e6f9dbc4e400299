// The training worker: owns the wasm model and trains it in time slices so
// that messages (pause, new data, frames) are handled between slices.
import createTinyDiff from "./tinydiff.js";
import { ToWorker, FromWorker } from "./protocol.js";

const SLICE_MS = 40;             // training time between message checks
const PREVIEW_POINTS = 400;
// Live samples cost training time: draw them at most every 0.7 s, and keep
// them to about 15% of the time (their cost grows with T and the model).
const PREVIEW_MIN_INTERVAL_MS = 700;
const PREVIEW_SHARE = 0.15;
const PREVIEW_SEED = 7;         // the same noise each time: the preview evolves smoothly

let Module = null;
let model = null;
let data = null; // Float32Array of the current points (for the score)
let playing = false;
let stepsLeft = Infinity;
let lastPreview = 0;
let previewMs = 0; // how long the last preview took
let sampling = {};  // {sampler, steps, eta} for previews, samples and frames
let trainingMs = 0;
let trainingSteps = 0;

const post = (msg, transfer = []) => self.postMessage(msg, transfer);
const fail = (error, fatal = false) =>
  post({ type: FromWorker.error, message: error && error.message ? error.message : String(error), fatal });

// Yields to the event loop without setTimeout's 4 ms clamp.
const channel = new MessageChannel();
let resumeLoop = null;
channel.port1.onmessage = () => resumeLoop && resumeLoop();
const yieldNow = () => new Promise((resolve) => { resumeLoop = resolve; channel.port2.postMessage(0); });

function previewSamples() {
  const start = performance.now();
  const xy = model.sample(PREVIEW_POINTS, PREVIEW_SEED, sampling);
  let score = null;
  if (data && data.length >= 2) {
    // Score against at most 4000 data points to stay cheap.
    const stride = Math.max(1, Math.floor(data.length / 2 / 4000));
    const subset = stride === 1 ? data : data.filter((_, i) => Math.floor(i / 2) % stride === 0);
    score = Module.qualityScore(xy, subset, 0.1);
  }
  post({ type: FromWorker.samples, xy, stepCount: model.stepCount(), score }, [xy.buffer]);
  lastPreview = performance.now();
  previewMs = lastPreview - start;
}

const previewDue = () =>
  performance.now() - lastPreview > Math.max(PREVIEW_MIN_INTERVAL_MS, previewMs / PREVIEW_SHARE);

async function trainLoop() {
  while (playing && model) {
    const start = performance.now();
    const losses = [];
    while (performance.now() - start < SLICE_MS && stepsLeft > 0) {
      const loss = model.step();
      if (model.diverged()) {
        playing = false;
        post({ type: FromWorker.diverged, stepCount: model.stepCount(), loss });
        return;
      }
      losses.push(loss);
      stepsLeft--;
    }
    trainingMs += performance.now() - start;
    trainingSteps += losses.length;
    if (stepsLeft <= 0) playing = false;
    const lossArray = Float32Array.from(losses);
    post({
      type: FromWorker.progress,
      stepCount: model.stepCount(),
      epoch: model.epoch(),
      losses: lossArray,
      stepsPerSecond: trainingMs > 0 ? (trainingSteps * 1000) / trainingMs : 0,
      playing,
    }, [lossArray.buffer]);
    if (!playing || previewDue()) previewSamples();
    await yieldNow();
  }
}

// What the page shows of a new model (configured and loaded messages).
const modelInfo = () => ({
  numParameters: model.numParameters(),
  stepsPerEpoch: model.stepsPerEpoch(),
  batchSize: model.batchSize(),
  numTimesteps: model.numTimesteps(),
});

function start(steps) {
  if (!model) throw new Error("no model yet");
  if (model.numPoints() === 0) throw new Error("no data");
  stepsLeft = steps;
  if (!playing) {
    playing = true;
    trainingMs = 0;
    trainingSteps = 0;
    trainLoop().catch((e) => { playing = false; fail(e); });
  }
}

const handlers = {
  async [ToWorker.init]() {
    Module = await createTinyDiff();
    post({ type: FromWorker.ready, defaults: Module.defaultConfig(), datasets: Module.datasetNames() });
  },
  [ToWorker.dataset]({ name, n, seed }) {
    const xy = Module.makeDataset(name, n, seed);
    post({ type: FromWorker.dataset, name, xy }, [xy.buffer]);
  },
  [ToWorker.configure]({ config, data: xy }) {
    playing = false;
    const next = new Module.Diffusion(config); // throws on a bad config: the old model stays
    if (xy && xy.length) next.setData(xy);
    if (model) model.delete();
    model = next;
    data = xy && xy.length ? xy : null;
    post({ type: FromWorker.configured, ...modelInfo() });
    previewSamples();
  },
  [ToWorker.setData]({ data: xy }) {
    model.setData(xy);
    data = xy;
  },
  [ToWorker.play]() { start(Infinity); },
  [ToWorker.pause]() { playing = false; },
  [ToWorker.step]({ steps }) { start(Math.max(1, steps | 0)); },
  [ToWorker.sample]({ n, seed }) {
    const xy = model.sample(n, seed, sampling);
    post({ type: FromWorker.samples, xy, stepCount: model.stepCount(), score: null, requested: true }, [xy.buffer]);
  },
  [ToWorker.frames]({ kind, n, seed }) {
    const frames = kind === "forward" ? model.forwardFrames(n, seed) : model.sampleFrames(n, seed, sampling);
    post({ type: FromWorker.frames, kind, n, numTimesteps: model.numTimesteps(), numFrames: frames.length / (2 * n), frames }, [frames.buffer]);
  },
  [ToWorker.sampling]({ options }) {
    if (model) model.sample(1, 0, options); // throws a clear Error for bad options; keeps the old ones
    sampling = options;
    if (model && !playing) previewSamples();
  },
  [ToWorker.saveModel]() {
    const bytes = model.saveModel();
    post({ type: FromWorker.model, bytes }, [bytes.buffer]);
  },
  [ToWorker.loadModel]({ bytes }) {
    playing = false;
    model.loadModel(bytes); // throws on a bad file: the current model stays
    post({ type: FromWorker.loaded, config: model.config(), ...modelInfo() });
    previewSamples();
  },
};

self.onmessage = async (event) => {
  const msg = event.data;
  const handler = msg && handlers[msg.type];
  if (!handler) return fail(new Error(`unknown message ${msg && msg.type}`));
  try {
    await handler(msg);
  } catch (e) {
    fail(e, msg.type === ToWorker.init);
  }
};
