// What the inspect views ask the preview worker for, one function per
// request: each takes the worker's model (the weights of its last preview,
// and all the training points), the request's args, the live view's
// sampling options and the wasm module, and returns plain numbers. The worker posts the result; the views draw it.
//
//   lossByT  {pointsPerT}         -> {network, ideal}: mean squared noise error at each t (Float32Array T)
//   schedule {}                   -> {betas, alphasCumprod}
//   field    {t, xy}              -> {network, ideal}: predicted noise at each grid point (n x 2), for the
//                                  class and guidance the live view samples (a conditional model)
//   density  {t, xy}              -> {logDensity}: log q(x_t) at each grid point
//   logDensity {xy, steps, points, fresh} -> {model, data, nll, nllOn, count}: an unconditional model's exact
//                                  log p(x) on the grid xy (steps RK4 steps), the data's q(x_t) at a small t
//                                  beside it, and the mean -log p (nats) of up to `points` held-out points; when
//                                  none are held out, of a fresh draw of the preset (fresh: {name, seed}) or,
//                                  for a drawing (fresh null), of training points
//   sweep    {n, clipX0}          -> {rows, straightness}: samplers side by side (model.samplerSweep); clipX0 0:
//                                  the live view's stand-in clamp for the data (preview_plan.js standInClip);
//                                  a flow model's straightness of its paths (null for noise prediction)
//   paths    {n, seed, scored}     -> {frames, numFrames, straightness, oneStepW2}: a flow model's ODE paths from
//                                  n noise points of stream `seed` (Euler, STRAIGHTNESS_STEPS steps: numFrames x
//                                  n x 2, from t = 1 to 0), and over `scored` paths their straightness and the
//                                  W2 to the data of one Euler step's samples

import { standInClip } from "../shared/preview_plan.js";

// The data's density beside the model's: q(x_t) at a little noise (std ~0.02), a kernel estimate of that width.
const DATA_DENSITY_NOISE = 0.02;
const LOSS_SEED = 5;   // the same noised points every time: the curves move only as the model learns
const SWEEP_SEED = 3;
const STRAIGHTNESS_STEPS = 100; // as core's kStraightnessSteps: the paths drawn are those measured

export const INSPECT = {
  lossByT(model, { pointsPerT }) {
    // The ideal curve depends on the data and schedule only: computed once per model.
    if (!model.idealLoss || model.idealLoss.pointsPerT !== pointsPerT) {
      model.idealLoss = { pointsPerT, values: model.diffusion.lossByTimestep(pointsPerT, LOSS_SEED, { denoiser: "ideal" }) };
    }
    return { network: model.diffusion.lossByTimestep(pointsPerT, LOSS_SEED), ideal: model.idealLoss.values.slice() };
  },
  schedule(model) {
    return model.diffusion.schedule();
  },
  field(model, { t, xy }, sampling = {}) {
    const classes = model.numClasses > 0 && sampling.classLabel >= 0
      ? { classLabel: sampling.classLabel, guidance: sampling.guidance } : {};
    return { network: model.diffusion.predict(xy, t, classes), ideal: model.diffusion.idealPrediction(xy, t, classes) };
  },
  logDensity(model, { xy, steps, points, fresh }, _sampling, wasm) {
    const d = model.diffusion;
    const held = d.heldOut().xy;
    const nllOn = held.length ? "held-out" : fresh ? "fresh" : "training";
    const pool = held.length ? held : fresh ? wasm.makePoints(fresh.name, points, fresh.seed).xy : d.data();
    const scored = pool.slice(0, 2 * points);
    const logP = d.logDensity(scored, steps);
    let nll = 0;
    for (const v of logP) nll -= v / logP.length;
    return { model: Float32Array.from(d.logDensity(xy, steps)), data: d.marginalLogDensity(xy, lightlyNoisedTime(model)),
      nll, nllOn, count: logP.length };
  },
  density(model, { t, xy }) {
    return { logDensity: model.diffusion.marginalLogDensity(xy, t) };
  },
  paths(model, { n, seed, scored }, _sampling, wasm) {
    const d = model.diffusion;
    const euler = { sampler: "euler", steps: STRAIGHTNESS_STEPS };
    const { frames } = d.reverseProcess(n, seed, euler);
    const oneStep = d.sample(scored, seed, { sampler: "euler", steps: 1 });
    return { frames, numFrames: frames.length / (2 * n), straightness: d.straightness(scored, seed, euler),
      oneStepW2: wasm.wasserstein2(oneStep, model.all, seed) };
  },
  sweep(model, { n, clipX0 }) {
    const rows = model.diffusion.samplerSweep(n, SWEEP_SEED, { clipX0: clipX0 > 0 ? clipX0 : standInClip(model.bound) });
    return { rows, straightness: model.objective === "flow" ? model.diffusion.straightness(n, SWEEP_SEED) : null };
  },
};

// The t whose noise is nearest DATA_DENSITY_NOISE: a flow model's t is its
// noise's std; a noise-prediction model's is the timestep whose
// sqrt(1 - alpha_bar) is nearest.
function lightlyNoisedTime(model) {
  if (model.objective === "flow") return DATA_DENSITY_NOISE;
  const alphasCumprod = model.diffusion.schedule().alphasCumprod;
  let best = 0;
  for (let t = 1; t < alphasCumprod.length; t++) {
    const gap = (t_) => Math.abs(Math.sqrt(1 - alphasCumprod[t_]) - DATA_DENSITY_NOISE);
    if (gap(t) < gap(best)) best = t;
  }
  return best;
}

// The buffers of a result, to transfer instead of copy.
export const buffersOf = (result) =>
  Object.values(result).filter((v) => ArrayBuffer.isView(v)).map((v) => v.buffer);
