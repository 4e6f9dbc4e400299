// The memorisation lab's worker: small models, one per training-set size n
// (lab_plan.js), each trained on a seeded n of the page's points with the
// rest held out as fresh points, side by side in slices, so that the curves
// of every n grow together. At each planned step it samples a model and
// scores the samples: the share that copy a training point beside its base
// rate (held-out points against the same training set), and the distance
// to the held-out points. It runs apart from the main model's two workers,
// which never wait for it. It also scores the main model's samples against
// that model's own training subset, on request.
import createTinyDiff from "../tinydiff.js";
import { ToLab, FromLab } from "../shared/protocol.js";
import { LAB, evaluationSteps, labSizes } from "../shared/lab_plan.js";
import { handleMessages } from "./worker_messages.js";

const SAMPLE_SEED = 11;          // the same noise at every evaluation: the samples move smoothly
const IDEAL_SAMPLES = 300;       // the ideal denoiser's copies: over all its training points, ~1 s in wasm
const MAIN_FRESH = 2000;         // the main model's held-out points a base rate is measured on, at most

let Module = null;
let run = null;                  // {id, models: [{n, diffusion, train, fresh, untrained, series}], steps}
let runs = 0;                    // each start's id: a stopped run's slices end
let main = null;                 // {train} of the main model

const post = (msg, transfer = []) => self.postMessage(msg, transfer);
const pause = () => new Promise((resolve) => setTimeout(resolve, 0));
const head = (xy, points) => (xy.length > 2 * points ? xy.slice(0, 2 * points) : xy);

function evaluate(model, step) {
  const xy = model.diffusion.sample(LAB.samples, SAMPLE_SEED);
  const score = Module.memorisationScore(xy, model.train, model.fresh);
  const copies = Module.copyFlags(xy, model.train);
  if (step === 0) {
    model.untrained = score.testDistance;
  } else {
    model.series.steps.push(step);
    model.series.testDistance.push(score.testDistance);
    model.series.excess.push(score.excess);
  }
  const times = step === 0 ? { tauGen: null, tauFall: null, tauMem: null }
    : Module.memorisationTimes({ ...model.series, untrainedDistance: model.untrained, margin: LAB.margin });
  post({ type: FromLab.evaluation, n: model.n, step, copyShare: score.copyShare, baseRate: score.baseRate,
    testDistance: score.testDistance, xy, copies, times }, [xy.buffer, copies.buffer]);
}

function release() {
  if (!run) return;
  for (const m of run.models) m.diffusion.delete();
  run = null;
}

async function start(points, seed) {
  release();
  const sizes = labSizes(points.length / 2);
  if (!sizes.length) {
    throw new Error(`The lab needs at least ${2 * LAB.sizes[0]} points (it holds out as many as it trains on): draw more or pick a preset.`);
  }
  const id = ++runs;
  const steps = evaluationSteps();
  const models = sizes.map((n) => {
    const diffusion = new Module.Diffusion({ ...Module.defaultConfig(), ...LAB.config, trainSize: n, seed });
    diffusion.setData(points);
    return { n, diffusion, train: diffusion.data(), fresh: head(diffusion.heldOut().xy, LAB.fresh), untrained: null,
      series: { steps: [], testDistance: [], excess: [] } };
  });
  run = { id, models, steps };
  post({ type: FromLab.started, sizes, steps, trains: models.map((m) => m.train.slice()) });
  for (const m of models) evaluate(m, 0);
  // Every model to the next evaluation step, in slices, then each evaluated.
  for (const target of steps) {
    for (const m of models) {
      while (m.diffusion.stepCount() < target) {
        m.diffusion.train(Math.min(LAB.sliceSteps, target - m.diffusion.stepCount()));
        await pause();                        // a stop, or the main model's samples, get in here
        if (!run || run.id !== id) return;
      }
      evaluate(m, target);
    }
  }
  post({ type: FromLab.finished });
}

// The main model's training subset, its held-out points' base rate, and how
// often the ideal denoiser of that subset copies it (the memorising extreme).
function setMain({ points, config, options }) {
  main = null;
  const count = points.length / 2;
  if (count < 2) return post({ type: FromLab.main, trainCount: count, heldOutCount: 0, baseRate: null, idealShare: null });
  const diffusion = new Module.Diffusion({ ...config, emaDecay: 0, lrDecaySteps: 0, numClasses: 0 });
  try {
    diffusion.setData(points);
    const train = diffusion.data(), heldOut = head(diffusion.heldOut().xy, MAIN_FRESH);
    if (train.length < 4) throw new Error("fewer than 2 training points");
    main = { train };
    const baseRate = heldOut.length ? Module.copyShare(heldOut, train) : null;
    // The model's own sampler with the ideal denoiser (an unconditional one: the classes play no part here).
    const { classLabel, guidance, ...unconditional } = options;
    const ideal = diffusion.sample(IDEAL_SAMPLES, SAMPLE_SEED, { ...unconditional, denoiser: "ideal" });
    post({ type: FromLab.main, trainCount: train.length / 2, heldOutCount: diffusion.heldOut().xy.length / 2, baseRate,
      idealShare: Module.copyShare(ideal, train) });
  } finally {
    diffusion.delete();
  }
}

const handlers = {
  [ToLab.start]({ points, seed }) {
    // Not awaited: the run goes on in slices while later messages arrive.
    start(points, seed).catch((e) => post({ type: FromLab.error, message: e.message || String(e) }));
  },
  [ToLab.stop]() {
    release();
    post({ type: FromLab.stopped });
  },
  [ToLab.main](msg) { setMain(msg); },
  [ToLab.samples]({ generation, step, xy }) {
    if (main && xy.length >= 2) post({ type: FromLab.mainSamples, generation, step, copyShare: Module.copyShare(xy, main.train) });
  },
};

Module = await createTinyDiff();
handleMessages(handlers, (e) => post({ type: FromLab.error, message: e && e.message ? e.message : String(e) }));
post({ type: FromLab.ready });
