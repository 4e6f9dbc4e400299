// The typed message protocol between the page (app.js) and the training
// worker (worker.js). Every message is a plain object with a `type` field.
//
// page -> worker
//   {type: "init"}
//   {type: "dataset", name, n, seed}          ask for a preset's points
//   {type: "configure", config, data}          new model on these points (Float32Array)
//   {type: "setData", data}                    same model, new points
//   {type: "play"} | {type: "pause"}
//   {type: "step", steps}                      train `steps` steps, then pause
//   {type: "sample", n, seed}                  samples of the current model
//   {type: "frames", kind: "forward"|"reverse", n, seed}
//   {type: "sampling", options: {sampler, steps, eta}}   used by previews, samples and frames
//   {type: "saveModel"}
//   {type: "loadModel", bytes: Uint8Array}
//
// worker -> page
//   {type: "ready", defaults, datasets}
//   {type: "dataset", name, xy}
//   {type: "configured", numParameters, stepsPerEpoch, batchSize, numTimesteps}
//   {type: "progress", stepCount, epoch, losses: Float32Array, stepsPerSecond, playing}
//   {type: "samples", xy, stepCount, score: {chamfer, precision, coverage} | null,
//    requested: true when it answers a "sample" message}
//   {type: "frames", kind, n, numTimesteps, frames: Float32Array ((T+1) * n * 2)}
//   {type: "model", bytes: Uint8Array}                   a .safetensors file
//   {type: "loaded", config, numParameters, stepsPerEpoch, batchSize, numTimesteps}
//   {type: "diverged", stepCount, loss}
//   {type: "error", message, fatal}
export const ToWorker = Object.freeze({
  init: "init",
  dataset: "dataset",
  configure: "configure",
  setData: "setData",
  play: "play",
  pause: "pause",
  step: "step",
  sample: "sample",
  frames: "frames",
  sampling: "sampling",
  saveModel: "saveModel",
  loadModel: "loadModel",
});

export const FromWorker = Object.freeze({
  ready: "ready",
  dataset: "dataset",
  configured: "configured",
  progress: "progress",
  samples: "samples",
  frames: "frames",
  model: "model",
  loaded: "loaded",
  diverged: "diverged",
  error: "error",
});
