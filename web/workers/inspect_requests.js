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
//   sweep    {n, clipX0}          -> {rows, straightness}: samplers side by side (model.samplerSweep); clipX0 0:
//                                  the live view's stand-in clamp for the data (preview_plan.js standInClip);
//                                  a flow model's straightness of its paths (null for noise prediction)

import { standInClip } from "../shared/preview_plan.js";

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
