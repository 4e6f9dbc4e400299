// The training worker: owns the wasm model and trains it in time slices so
// that messages (pause, new data, requests) are handled between slices. It
// never samples for the live view: it hands the weights to the preview
// worker, which samples on a core of its own (protocol.js).
//
// On a cross-origin isolated page (SharedArrayBuffer) with cores to spare it
// loads the threaded build, tinydiff-threads.js, whose pool of pthread
// workers starts with it; a training step then splits its batch across
// threads (Diffusion::setThreads). Anywhere else, or if that build fails to
// start, the single-threaded tinydiff.js trains on this worker alone. Each
// build is imported only when it is the one used, so a page fetches one.
import { ToTrainer, FromTrainer, Between } from "../shared/protocol.js";
import { handleMessages } from "./worker_messages.js";
import { ThreadTuner } from "../shared/thread_tuner.js";
import { LiveViewShare } from "../shared/preview_plan.js";

const SLICE_MS = 40;            // training time between message checks
const THREADS_START_MS = 8000;  // the threaded build's pool loads in well under a second where it can

let Module = null;
let model = null;
let generation = 0;             // one per model (configured or loaded), so late previews of an old one are dropped
let data = null;                // Float32Array: the current points
let labels = null;              // Int32Array: their classes (a conditional model), or null
let playing = false;
let stepsLeft = Infinity;
let sampling = {};              // SamplingOptions (protocol.js) for sample and frames requests
let trainingMs = 0;
let trainingSteps = 0;
let maxThreads = 1;             // what the loaded build can run (1 + its pool)
let threadsWanted = 1;          // what the page asks for (the "threads" setting, resolved), or with auto the most
let threadsAuto = false;        // auto: the fastest count up to threadsWanted, timed on each model
let tuner = null;               // while timing counts on this model
const threadsFor = () => Math.max(1, Math.min(threadsWanted, maxThreads));
// A model's first slices time the thread counts (auto threads only).
function retune() {
  tuner = threadsAuto && threadsFor() > 1 ? new ThreadTuner(threadsFor()) : null;
  liveViewShare = new LiveViewShare(); // other threads, another share
  if (model) model.setThreads(tuner ? tuner.next() : threadsFor());
}

// The live view's side: it asks for weights when it is ready for them.
let previewPort = null;
let previewWaiting = false;
let weightsSentAtStep = -1;     // the step of the last weights sent (-1: none of this model)
let finalPending = false;       // training stopped: the preview should get these weights as final
// Whether the live view computes a preview now (from weights sent until it
// says it drew them), and training's rate then and otherwise: the share it
// keeps tells the live view whether it has a core of its own (preview_plan.js).
let previewComputing = false;
let liveViewShare = new LiveViewShare();
let shareSent = null;

const post = (msg, transfer = []) => self.postMessage(msg, transfer);
const fail = (error, { fatal = false, id } = {}) =>
  post({ type: FromTrainer.error, message: error && error.message ? error.message : String(error), fatal, id });

// Yields to the event loop without setTimeout's 4 ms clamp.
const channel = new MessageChannel();
let resumeLoop = null;
channel.port1.onmessage = () => resumeLoop && resumeLoop();
const yieldNow = () => new Promise((resolve) => { resumeLoop = resolve; channel.port2.postMessage(0); });

// Tells the preview worker about the model (after configure, load, new data).
function announceModel() {
  if (!previewPort || !model) return;
  const all = data ? data.slice() : new Float32Array(0);
  const classes = labels ? labels.slice() : new Int32Array(0);
  previewPort.postMessage({ type: Between.model, generation, config: model.config(), data: all, labels: classes },
    [all.buffer, classes.buffer]);
  weightsSentAtStep = -1;
  finalPending = !playing;
  offerWeights();
  announceSubset();
}

// Which of the points the model trains on, for the page to tell them from those held out.
function announceSubset() {
  const count = data ? data.length / 2 : 0, size = model.config().trainSize;
  const indices = size > 0 && size < count ? Module.trainingIndices(count, size, model.config().seed) : null;
  post({ type: FromTrainer.subset, generation, count, indices }, indices ? [indices.buffer] : []);
}

// Sends the current weights if the preview worker is waiting and they are
// new to it (or training stopped on them and it should draw them in full).
function offerWeights() {
  if (!previewPort || !model || !previewWaiting) return;
  const step = model.stepCount();
  if (step === weightsSentAtStep && !finalPending) return;
  const params = model.modelParameters();
  previewPort.postMessage({ type: Between.weights, generation, step, params, final: !playing }, [params.buffer]);
  previewComputing = true;
  previewWaiting = false;
  weightsSentAtStep = step;
  finalPending = false;
}

function stopped() {
  playing = false;
  finalPending = true;
  offerWeights();
}

async function trainLoop() {
  while (playing && model) {
    if (tuner && model.threads() !== tuner.next()) model.setThreads(tuner.next());
    const previewComputingNow = previewComputing;
    const start = performance.now();
    const losses = [];
    while (performance.now() - start < SLICE_MS && stepsLeft > 0) {
      const loss = model.step();
      if (model.diverged()) {
        stopped();
        post({ type: FromTrainer.diverged, step: model.stepCount(), loss });
        return;
      }
      losses.push(loss);
      stepsLeft--;
    }
    const sliceMs = performance.now() - start;
    if (tuner) tuner.record(model.threads(), losses.length, sliceMs);
    shareWithLiveView(previewComputingNow, losses.length, sliceMs);
    trainingMs += sliceMs;
    trainingSteps += losses.length;
    const lossArray = Float32Array.from(losses);
    if (stepsLeft <= 0) stopped();
    else offerWeights();
    post({
      type: FromTrainer.progress,
      step: model.stepCount(),
      epoch: model.epoch(),
      losses: lossArray,
      stepsPerSecond: trainingMs > 0 ? (trainingSteps * 1000) / trainingMs : 0,
      threads: model.threads(),
      wasmBytes: Module.HEAPU8.byteLength,
      playing,
    }, [lossArray.buffer]);
    await yieldNow();
  }
}

// A slice's steps and time, by whether the live view computed; the share
// training keeps goes to the live view when first known and when it moves.
function shareWithLiveView(computing, steps, ms) {
  liveViewShare.record(computing, steps, ms);
  const kept = liveViewShare.kept;
  if (kept === null || !previewPort || (shareSent !== null && Math.abs(kept - shareSent) < 0.05)) return;
  previewPort.postMessage({ type: Between.share, trainingKept: kept });
  shareSent = kept;
}

const modelInfo = () => ({ numTimesteps: model.numTimesteps(), generation });

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
  async [ToTrainer.init]({ previewPort: port, poolThreads = 1, threads = 1, auto = false }) {
    let threadsNote = "";
    if (poolThreads > 1 && self.crossOriginIsolated === true && typeof SharedArrayBuffer === "function") {
      try {
        const { default: createThreaded } = await import("../tinydiff-threads.js");
        // A pool worker that cannot load (its script missing, a browser
        // limit) leaves the module waiting for it forever: give up after a while.
        const late = new Promise((_, reject) => setTimeout(() => reject(new Error("its threads did not start")), THREADS_START_MS));
        // Creating the pool's Workers is synchronous, and in Firefox it never
        // returned in ~4% of loads: the page times this step (worker_client.js).
        post({ type: FromTrainer.startup, phase: "pool" });
        const created = createThreaded({ poolSize: poolThreads - 1 });
        post({ type: FromTrainer.startup, phase: "pool-created" });
        Module = await Promise.race([created, late]);
        maxThreads = poolThreads;
      } catch (e) {
        Module = null;
        threadsNote = `the threaded build could not start (${e && e.message ? e.message : e}), so training runs on one thread`;
      }
    }
    if (!Module) {
      const { default: createTinyDiff } = await import("../tinydiff.js");
      Module = await createTinyDiff();
    }
    threadsWanted = threads;
    threadsAuto = auto;
    previewPort = port;
    previewPort.onmessage = (event) => {
      if (event.data && event.data.type === Between.drawn) previewComputing = false;
      if (event.data && event.data.type === Between.want) {
        previewWaiting = true;
        if (!playing) offerWeights(); // while training, the next slice's end offers them
      }
    };
    post({ type: FromTrainer.ready, maxThreads, isolated: self.crossOriginIsolated === true,
      sharedMemory: typeof SharedArrayBuffer === "function", threadsNote, limits: Module.limits() });
  },
  [ToTrainer.threads]({ threads, auto = false }) {
    threadsWanted = threads;
    threadsAuto = auto;
    retune();
  },
  [ToTrainer.dataset]({ id, name, n, seed }) {
    const { xy, labels: classes } = Module.makePoints(name, n, seed);
    post({ type: FromTrainer.dataset, id, xy, labels: classes }, [xy.buffer, classes.buffer]);
  },
  [ToTrainer.configure]({ id, config, data: xy, labels: classes }) {
    const next = new Module.Diffusion(config); // throws on a bad config: the old model stays
    const conditional = next.numClasses() > 0;
    try {
      if (xy && xy.length) next.setData(xy, conditional ? classes : undefined);
    } catch (e) {
      next.delete();
      throw e;
    }
    playing = false;
    if (model) model.delete();
    model = next;
    retune();
    generation++;
    data = xy && xy.length ? xy : null;
    labels = data && conditional ? classes : null;
    post({ type: FromTrainer.configured, id, ...modelInfo() });
    announceModel();
  },
  [ToTrainer.setData]({ data: xy, labels: classes }) {
    const conditional = model.numClasses() > 0;
    model.setData(xy, conditional ? classes : undefined);
    data = xy;
    labels = conditional ? classes : null;
    announceModel();
  },
  [ToTrainer.play]() { start(Infinity); },
  [ToTrainer.pause]() { if (playing) stopped(); },
  [ToTrainer.step]({ steps }) { start(Math.max(1, steps | 0)); },
  [ToTrainer.sampling]({ options }) {
    if (model) model.sample(1, 0, options); // throws a clear Error for bad options; keeps the old ones
    sampling = options;
  },
  [ToTrainer.sample]({ id, n, seed }) {
    const xy = model.sample(n, seed, sampling);
    post({ type: FromTrainer.samples, id, xy }, [xy.buffer]);
  },
  [ToTrainer.frames]({ id, kind, n, seed }) {
    if (kind === "forward") {
      const { frames, labels: classes } = model.forwardProcess(n, seed);
      post({ type: FromTrainer.frames, id, kind, n, numTimesteps: model.numTimesteps(), numFrames: frames.length / (2 * n), frames,
        labels: classes, flow: model.config().objective === "flow" }, [frames.buffer, classes.buffer]);
    } else {
      // With each step's data prediction, for the trajectory inspector.
      const { frames, predictedData, times, labels: classes } = model.reverseProcess(n, seed, sampling);
      post({ type: FromTrainer.frames, id, kind, n, numTimesteps: model.numTimesteps(), numFrames: frames.length / (2 * n),
        frames, predictedData, times, labels: classes, flow: model.config().objective === "flow" },
      [frames.buffer, predictedData.buffer, times.buffer, classes.buffer]);
    }
  },
  [ToTrainer.saveModel]({ id }) {
    const bytes = model.saveModel();
    post({ type: FromTrainer.model, id, bytes }, [bytes.buffer]);
  },
  // The student of a reflow (as `tinydiff reflow` makes it): the model's
  // weights, independent coupling, a fresh optimizer at a constant rate, and
  // every pair trains. The pairs are the old model's own ODE solutions.
  [ToTrainer.reflow]({ id, pairs, steps, seed }) {
    if (model.config().objective !== "flow") throw new Error("only a flow model's paths can be straightened");
    playing = false;
    const start = performance.now();
    const solved = model.reflowPairs(pairs, seed, { sampler: "heun", steps });
    const solveMs = performance.now() - start;
    const config = { ...model.config(), coupling: "independent", lrDecaySteps: 0, lrWarmupSteps: 0, trainSize: 0 };
    const student = new Module.Diffusion(config);
    try {
      student.setParameters(model.modelParameters());
      student.setPairs(solved.xy, solved.noise, solved.labels.length ? solved.labels : undefined);
    } catch (e) {
      student.delete();
      throw e;
    }
    model.delete();
    model = student;
    retune();
    generation++;
    post({ type: FromTrainer.reflowed, id, config: model.config(), pairs, solveMs, ...modelInfo() });
    announceModel();
  },
  [ToTrainer.loadModel]({ id, bytes }) {
    const wasPlaying = playing;
    playing = false;
    try {
      model.loadModel(bytes); // throws on a bad file: the current model stays
    } catch (e) {
      if (wasPlaying) start(Infinity);
      throw e;
    }
    retune(); // a model of another size
    generation++;
    // The data stays if it fits the file's classes (the wasm API keeps it then).
    if (model.numPoints() === 0) data = labels = null;
    else labels = model.numClasses() > 0 ? model.labels() : null;
    post({ type: FromTrainer.loaded, id, config: model.config(), numParameters: model.numParameters(),
      dataKept: data !== null, ...modelInfo() });
    announceModel();
  },
};

handleMessages(handlers, (e, msg) => fail(e, { fatal: msg.type === ToTrainer.init, id: msg.id }));
