// The live-view worker: a second wasm module that samples from snapshots of
// the training worker's weights, so that the canvas follows training closely
// while training itself never pauses for it. It pulls weights (a `want`
// message) whenever it is ready for the next preview, samples with the plan
// of preview_plan.js from the same noise each time, scores the samples
// against the data and sends them to the page.
import createTinyDiff from "../tinydiff.js";
import { ToPreview, FromPreview, Between } from "../shared/protocol.js";
import { handleMessages } from "./worker_messages.js";
import { measuredBudget, networkCalls, planPreview, planOptions, scoreSubset } from "../shared/preview_plan.js";
import { INSPECT, buffersOf } from "./inspect_requests.js";
import { samplersFor } from "../shared/sampler_table.js";
import { pointsOfClass } from "../shared/classes.js";

const PREVIEW_SEED = 7;          // the same noise each time: the preview evolves smoothly
const MIN_PERIOD_MS = 150;       // at most ~7 previews a second
// The rest after a preview keeps the live view's share of a core (its
// duty), but never beyond this: a slow first preview (WebKitGTK runs new
// wasm in its baseline tier for a while) would otherwise leave the canvas
// on weights a second old or more.
const MAX_REST_MS = 300;

let Module = null;
let limits = null;               // the module's limits(): the quality and memorised radii
let port = null;                 // to the training worker
let cores = 2;                   // navigator.hardwareConcurrency, as the page reports it
let budget = measuredBudget(2, null); // {budgetMs, duty}: the two-core budget until measured
let trainingKept = null;         // the share of its rate training keeps while a preview computes (null: not yet measured)
let enabled = true;
let options = { sampler: "ddpm" };
let model = null;                // {generation, diffusion, data (the score's), all, train (what it trains on), bound, numTimesteps, idealLoss}
// Weights of the current model (setModel clears both): {generation, step, params, final}
let latest = null;               // the newest not yet drawn
let drawn = null;                // those of the last preview (redrawn for new sampling options)
let busy = false;
let waiting = false;             // a `want` is outstanding
let msPerPointStep = 0;          // measured cost of one denoising step of one point

const post = (msg, transfer = []) => self.postMessage(msg, transfer);
const fail = (error, fatal = false) =>
  post({ type: FromPreview.error, message: error && error.message ? error.message : String(error), fatal });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// What a preview of `classLabel` is scored against: that class's points
// (all of them for -1), at most 4000; and for memorisation all the points
// of that class the model trains on (a subset with the training-points setting).
function scoringData(classLabel) {
  if (!model.labels || classLabel < 0) return { score: model.data, train: model.train };
  if (!model.byClass.has(classLabel)) {
    const own = pointsOfClass(model.all, model.labels, classLabel);
    const trained = pointsOfClass(model.train, model.trainLabels, classLabel);
    model.byClass.set(classLabel, { score: own.length ? scoreSubset(own) : null, train: trained.length ? trained : null });
  }
  return model.byClass.get(classLabel);
}

function want() {
  if (waiting || !port || !enabled) return;
  waiting = true;
  port.postMessage({ type: Between.want });
}

function setModel({ generation, config, data, labels }) {
  if (model) model.diffusion.delete();
  // The snapshot already holds the averaged weights: no average here.
  const diffusion = new Module.Diffusion({ ...config, emaDecay: 0, lrDecaySteps: 0 });
  let bound = 0;
  for (const v of data) bound = Math.max(bound, Math.abs(v));
  // All the points train the ideal denoiser and the views; at most 4000 score each preview.
  const conditional = config.numClasses > 0 && labels.length > 0;
  if (data.length) diffusion.setData(data, conditional ? labels : undefined);
  const train = data.length ? diffusion.data() : null;
  model = { generation, diffusion, data: data.length ? scoreSubset(data) : null, all: data.length ? data : null, bound,
    labels: conditional ? labels : null, train, trainLabels: conditional && train ? diffusion.labels() : null, byClass: new Map(),
    numTimesteps: diffusion.numTimesteps(), objective: config.objective, numClasses: config.numClasses, idealLoss: null, step: 0 };
  latest = null;
  drawn = null;
}

async function drawLoop() {
  if (busy) return;
  busy = true;
  try {
    while (enabled && latest) {
      // Sampling options for another objective arrive with a new model (the
      // page sends them after it): wait for that model instead of failing.
      if (!samplersFor(model.objective).includes(options.sampler)) break;
      // Likewise a class and guidance, which only a conditional model takes.
      if (options.guidance !== undefined && !(model.numClasses > 0)) break;
      const weights = latest;
      latest = null;
      const start = performance.now();
      model.diffusion.setParameters(weights.params);
      const plan = planPreview({ options, numTimesteps: model.numTimesteps, msPerPointStep, final: weights.final,
        dataBound: model.bound, budgetMs: budget.budgetMs });
      const sampling = planOptions(plan);
      const xy = model.diffusion.sample(plan.points, PREVIEW_SEED, sampling);
      const sampleMs = performance.now() - start;
      const cost = sampleMs / (plan.points * networkCalls(sampling, model.numTimesteps));
      msPerPointStep = msPerPointStep ? 0.7 * msPerPointStep + 0.3 * cost : cost;
      const labels = model.diffusion.sampleClasses(plan.points, PREVIEW_SEED, sampling);
      const classLabel = model.labels ? sampling.classLabel : -1;
      const against = scoringData(classLabel);
      const score = against.score ? Module.qualityScore(xy, against.score, limits.qualityRadius) : null;
      // On a training point (within core's memorised radius): against all of them, so only once training stops.
      const memorised = weights.final && against.train ? Module.qualityScore(xy, against.train, limits.memorisedRadius).precision : null;
      drawn = weights;
      model.step = weights.step;
      const ms = performance.now() - start;
      post({ type: FromPreview.preview, generation: weights.generation, step: weights.step, xy, labels, score, memorised, plan,
        classLabel, guidance: model.labels ? sampling.guidance : null, ms, wasmBytes: Module.HEAPU8.byteLength,
        budgetMs: budget.budgetMs, trainingKept },
      [xy.buffer, labels.buffer]);
      port.postMessage({ type: Between.drawn });
      if (!weights.final) {
        // Rest before asking for the next weights: the shown ones age from the ask on.
        const rest = Math.min(MAX_REST_MS, Math.max(MIN_PERIOD_MS - ms, (ms * (1 - budget.duty)) / budget.duty));
        if (rest > 0) await sleep(rest);
      }
      want();
      // Give the new weights (and any message) a chance to arrive.
      await sleep(0);
    }
  } catch (e) {
    fail(e);
  } finally {
    busy = false;
  }
}

// Draws the last weights again (new sampling options, the view back on).
function redrawLast() {
  if (drawn && !latest) latest = drawn;
  drawLoop();
}

function onTrainer(event) {
  const msg = event.data;
  try {
    if (msg.type === Between.model) {
      setModel(msg);
      const ready = waitingRequests.filter((r) => r.generation <= model.generation);
      waitingRequests = waitingRequests.filter((r) => r.generation > model.generation);
      for (const r of ready) inspect(r);
      want();
    } else if (msg.type === Between.share) {
      trainingKept = msg.trainingKept;
      budget = measuredBudget(cores, trainingKept);
    } else if (msg.type === Between.weights) {
      waiting = false;
      if (!model || msg.generation !== model.generation) return want();
      latest = msg;
      drawLoop();
    }
  } catch (e) {
    fail(e);
  }
}

let waitingRequests = [];          // inspect requests for a model not here yet

function inspect({ id, what, args, generation }) {
  try {
    if (generation !== model.generation) throw new Error("that model is gone");
    if (!INSPECT[what]) throw new Error(`unknown view request "${what}"`);
    const result = INSPECT[what](model, args || {}, options, Module);
    post({ type: FromPreview.inspected, id, generation: model.generation, step: model.step, result }, buffersOf(result));
  } catch (e) {
    post({ type: FromPreview.error, id, message: e && e.message ? e.message : String(e), fatal: false });
  }
}

const handlers = {
  async [ToPreview.init]({ trainerPort, cores: c }) {
    Module = await createTinyDiff();
    limits = Module.limits();
    cores = c | 0;
    budget = measuredBudget(cores, null);
    port = trainerPort;
    port.onmessage = onTrainer;
    post({ type: FromPreview.ready });
    want();
  },
  [ToPreview.sampling]({ options: next }) {
    options = next;
    // Weights that waited for options fitting their model are drawn now;
    // stopped weights are redrawn with the new sampler; while training the
    // next preview uses it anyway.
    if (latest) drawLoop();
    else if (drawn && drawn.final) redrawLast();
  },
  [ToPreview.inspect](request) {
    // The page may ask about a model whose weights are still on their way
    // from the training worker: such requests wait for it.
    if (!model || model.generation < request.generation) waitingRequests.push(request);
    else inspect(request);
  },
  [ToPreview.enabled]({ on }) {
    enabled = on;
    if (on) {
      redrawLast();
      want();
    }
  },
};

handleMessages(handlers, (e, msg) => fail(e, msg.type === ToPreview.init));
