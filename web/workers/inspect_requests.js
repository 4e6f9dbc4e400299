// What the inspect views ask the preview worker for, one function per
// request: each takes the worker's model (the weights of its last preview,
// and all the training points), the request's args and the live view's
// sampling options, and returns plain numbers. The worker posts the result; the views draw it.
//
//   lossByT  {pointsPerT}         -> {network, ideal}: mean squared noise error at each t (Float32Array T)
//   schedule {}                   -> {betas, alphasCumprod}
//   field    {t, xy}              -> {network, ideal}: predicted noise at each grid point (n x 2), for the
//                                  class and guidance the live view samples (a conditional model)
//   density  {t, xy}              -> {logDensity}: log q(x_t) at each grid point
//   logDensity {xy, steps, points} -> {model, data, nll, nllOn, count}: an unconditional flow model's exact
//                                  log p(x) on the grid xy (steps RK4 steps), the data's q(x_t) at a small t
//                                  beside it, and the mean -log p (nats) of up to `points` held-out points
//                                  (or training points when none are held out)
//   sweep    {n, clipX0}          -> {rows, straightness}: samplers side by side (model.samplerSweep); clipX0 0:
//                                  the live view's stand-in clamp for the data (preview_plan.js standInClip);
//                                  a flow model's straightness of its paths (null for noise prediction)

import { standInClip } from "../shared/preview_plan.js";

const DATA_DENSITY_T = 0.02;  // the data's density: q(x_t) of a flow model at a small t, a kernel estimate of width ~t
const LOSS_SEED = 5;   // the same noised points every time: the curves move only as the model learns
const SWEEP_SEED = 3;

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
  logDensity(model, { xy, steps, points }) {
    const d = model.diffusion;
    const held = d.heldOut().xy;
    const nllOn = held.length ? "held-out" : "training";
    const scored = (held.length ? held : d.data()).slice(0, 2 * points);
    const logP = d.logDensity(scored, steps);
    let nll = 0;
    for (const v of logP) nll -= v / logP.length;
    return { model: Float32Array.from(d.logDensity(xy, steps)), data: d.marginalLogDensity(xy, DATA_DENSITY_T), nll, nllOn,
      count: logP.length };
  },
  density(model, { t, xy }) {
    return { logDensity: model.diffusion.marginalLogDensity(xy, t) };
  },
  sweep(model, { n, clipX0 }) {
    const rows = model.diffusion.samplerSweep(n, SWEEP_SEED, { clipX0: clipX0 > 0 ? clipX0 : standInClip(model.bound) });
    return { rows, straightness: model.objective === "flow" ? model.diffusion.straightness(n, SWEEP_SEED) : null };
  },
};

// The buffers of a result, to transfer instead of copy.
export const buffersOf = (result) =>
  Object.values(result).filter((v) => ArrayBuffer.isView(v)).map((v) => v.buffer);
