// The typed messages between the page (app/worker_client.js), the training worker
// (workers/train_worker.js) and the preview worker (workers/preview_worker.js). Every
// message is a plain object with a `type`; a request carries an `id` that
// its answer (or its error) repeats. The two workers also talk directly,
// over a MessageChannel the page hands them at start-up, so that weights
// for the live view never wait on the page's thread.
//
// The page -> training worker
/**
 * @typedef {{type: "init", previewPort: MessagePort, poolThreads: number, threads: number, auto: boolean}} InitMsg
 *   poolThreads: the most threads the worker should be able to run (it loads the threaded build for more
 *   than 1, if the page is cross-origin isolated); threads: how many a training step uses now, or with
 *   auto the most it may use: the worker times a few counts up to it on each model (thread_tuner.js)
 * @typedef {{type: "threads", threads: number, auto: boolean}} ThreadsMsg  training threads from now on (up to
 *   what the build runs; auto as in InitMsg)
 * @typedef {{type: "dataset", id: number, name: string, n: number, seed: number}} DatasetRequest  points of a preset
 * @typedef {{type: "configure", id: number, config: object, data: Float32Array, labels: Int32Array}} ConfigureRequest
 *   a new model on these points (labels: their classes, used when config.numClasses > 0)
 * @typedef {{type: "setData", data: Float32Array, labels: Int32Array}} SetDataMsg  same model, new points
 * @typedef {{type: "play"} | {type: "pause"}} PlayMsg
 * @typedef {{type: "step", steps: number}} StepMsg  train `steps` steps, then pause
 * @typedef {{type: "sampling", options: SamplingOptions}} SamplingMsg  for sample and frames requests
 * @typedef {{type: "sample", id: number, n: number, seed: number}} SampleRequest  fresh samples of the current model
 * @typedef {{type: "frames", id: number, kind: "forward"|"reverse", n: number, seed: number}} FramesRequest
 * @typedef {{type: "saveModel", id: number}} SaveModelRequest
 * @typedef {{type: "loadModel", id: number, bytes: Uint8Array}} LoadModelRequest
 * @typedef {{type: "reflow", id: number, pairs: number, steps: number, seed: number}} ReflowRequest  straighten a
 *   flow model's paths (Liu et al.'s reflow): `pairs` noise points of stream `seed` and where Heun over `steps` steps
 *   takes them, then a new model with its weights trains on those fixed pairs
 * @typedef {{sampler: string, steps?: number, eta?: number, clipX0?: number,
 *            denoiser?: "network"|"ideal", classLabel?: number, guidance?: number}} SamplingOptions
 *   sampler: a name of sampler_table.js; classLabel and guidance only for a conditional model
 */
export const ToTrainer = Object.freeze({
  init: "init", dataset: "dataset", configure: "configure", setData: "setData", play: "play", pause: "pause",
  step: "step", sampling: "sampling", sample: "sample", frames: "frames", saveModel: "saveModel", loadModel: "loadModel",
  threads: "threads", reflow: "reflow",
});

// The training worker -> the page
/**
 * @typedef {{type: "ready", maxThreads: number, isolated: boolean, sharedMemory: boolean, threadsNote: string, limits: object}} ReadyMsg
 *   the wasm module is loaded; maxThreads: the threads a step can use (1: the single-threaded build); sharedMemory:
 *   whether the worker has SharedArrayBuffer (WebKitGTK has none even when isolated); threadsNote:
 *   why the threaded build is not running although the page asked for it, or ""; limits: the module's limits()
 *   (the largest model file, the quality and memorised radii), which the page states and checks
 * @typedef {{type: "dataset", id: number, xy: Float32Array, labels: Int32Array}} DatasetAnswer  labels empty without classes
 * @typedef {{numTimesteps: number, generation: number}} ModelInfo  generation: the model's number (one per configure or load)
 * @typedef {{type: "configured", id: number} & ModelInfo} ConfiguredAnswer
 * @typedef {{type: "loaded", id: number, config: object, numParameters: number, dataKept: boolean} & ModelInfo} LoadedAnswer
 *   the file's config (camelCase, as the wasm API's); the data kept if it fits the file's classes (dataKept)
 * @typedef {{type: "progress", step: number, epoch: number, losses: Float32Array, stepsPerSecond: number,
 *            threads: number, wasmBytes: number, playing: boolean}} ProgressMsg  after every training slice (~40 ms);
 *   `losses` of the slice's steps; wasmBytes: the size of the worker's wasm memory
 * @typedef {{type: "samples", id: number, xy: Float32Array}} SamplesAnswer
 * @typedef {{type: "frames", id: number, kind: "forward"|"reverse", n: number, numTimesteps: number,
 *            numFrames: number, frames: Float32Array, labels: Int32Array, flow: boolean, predictedData?: Float32Array,
 *            times?: Float32Array}} FramesAnswer  labels: each followed point's class (empty without classes)
 *   numFrames x n x 2: T + 1 frames forward or with DDPM, K + 1 with K steps of another sampler; reverse also
 *   predictedData (K x n x 2: each step's x0_hat) and times (K: frame k is x at times[k], an integer timestep
 *   descending, or for a flow model t from 1 down)
 * @typedef {{type: "model", id: number, bytes: Uint8Array}} ModelAnswer  a .safetensors file
 * @typedef {{type: "reflowed", id: number, config: object, pairs: number, solveMs: number} & ModelInfo} ReflowedAnswer
 *   the new model (the old one's weights, independent coupling, a fresh optimizer, all pairs train) and the
 *   time the pairs took; the user's points stay the data it is scored against
 * @typedef {{type: "diverged", step: number, loss: number}} DivergedMsg  training stopped; the last good weights kept
 * @typedef {{type: "startup", phase: "pool"|"pool-created"}} StartupMsg  the threaded build's start-up, so the
 *   page can time its one step that can block the worker for good: "pool" just before the module creates its
 *   pool of Workers (synchronously), "pool-created" just after
 * @typedef {{type: "subset", generation: number, count: number, indices: Uint32Array | null}} SubsetMsg
 *   after a new model or new points: which of the `count` points model `generation` trains on (trainSize), or
 *   null for all of them
 * @typedef {{type: "error", message: string, fatal: boolean, id?: number}} ErrorMsg
 *   with `id`: the request failed and nothing changed; fatal: the module could not start
 */
export const FromTrainer = Object.freeze({
  ready: "ready", dataset: "dataset", configured: "configured", loaded: "loaded", progress: "progress",
  samples: "samples", frames: "frames", model: "model", diverged: "diverged", error: "error", startup: "startup",
  subset: "subset", reflowed: "reflowed",
});

// The page -> the preview worker
/**
 * @typedef {{type: "init", trainerPort: MessagePort, cores: number}} PreviewInitMsg
 * @typedef {{type: "sampling", options: SamplingOptions}} PreviewSamplingMsg  what the live view should draw with
 * @typedef {{type: "enabled", on: boolean}} PreviewEnabledMsg  off: no previews (the samples are hidden)
 * @typedef {{type: "inspect", id: number, what: "lossByT"|"schedule"|"field"|"density"|"logDensity"|"sweep"|"paths", args: object,
 *            generation: number}} InspectRequest
 *   a view's numbers for model `generation`, from the weights of its last preview (inspect_requests.js lists
 *   each `what` and its args); waits for that model's arrival from the training worker
 */
export const ToPreview = Object.freeze({ init: "init", sampling: "sampling", enabled: "enabled", inspect: "inspect" });

// The preview worker -> the page
/**
 * @typedef {{type: "ready"}} PreviewReadyMsg
 * @typedef {{sampler: string, steps: number, eta: number, clipX0: number, denoiser: string, classes: object,
 *            points: number, fast: boolean}} PreviewPlan
 *   fast: a few-step sampler standing in for the chosen one while training (which costs too much per preview)
 * @typedef {{type: "preview", generation: number, step: number, xy: Float32Array, labels: Int32Array,
 *            score: {chamfer: number, precision: number, coverage: number} | null,
 *            memorised: number | null, plan: PreviewPlan, classLabel: number, guidance: number | null,
 *            ms: number, wasmBytes: number, budgetMs: number, trainingKept: number | null}} PreviewMsg  samples of the
 *   weights of training step `step` (labels: each one's class, empty without classes); memorised: their share
 *   within 0.01 of a training point (once training stops); wasmBytes: the size of the preview worker's wasm memory;
 *   budgetMs, trainingKept: the live view's budget a preview and the share of its rate training keeps while a
 *   preview computes (preview_plan.js measuredBudget);
 *   score and memorised against the points of classLabel (all for -1)
 * @typedef {{type: "inspected", id: number, generation: number, step: number, result: object}} InspectAnswer
 * @typedef {{type: "error", message: string, fatal: boolean, id?: number}} PreviewErrorMsg  with `id`: that request failed
 */
export const FromPreview = Object.freeze({ ready: "ready", preview: "preview", inspected: "inspected", error: "error" });

// Between the workers (over their MessageChannel)
/**
 * @typedef {{type: "model", generation: number, config: object, data: Float32Array, labels: Int32Array}} ModelMsg
 *   trainer -> preview: a new (or loaded, or re-fed) model and all its training points (and their classes)
 * @typedef {{type: "weights", generation: number, step: number, params: Float32Array, final: boolean}} WeightsMsg
 *   trainer -> preview: the weights that sample; final: training has stopped on them
 * @typedef {{type: "want"}} WantMsg  preview -> trainer: ready for the next weights
 * @typedef {{type: "drawn"}} DrawnMsg  preview -> trainer: done computing the preview of the last weights (it
 *   may rest before it wants more); the trainer times its slices while the preview computes and while it does not
 * @typedef {{type: "share", trainingKept: number}} ShareMsg  trainer -> preview: the share of its rate training
 *   keeps while the preview computes (preview_plan.js measuredBudget)
 */
export const Between = Object.freeze({ model: "model", weights: "weights", want: "want", drawn: "drawn", share: "share" });

// The page (panels/memorisation_panel.js) <-> the memorisation lab's worker
// (workers/memorisation_worker.js), which trains its small models apart
// from the main model's workers.
/**
 * @typedef {{type: "start", points: Float32Array, seed: number}} LabStartMsg  the lab's models on these points
 *   (each trains on a seeded subset of them, lab_plan.js's sizes; the rest are its fresh points)
 * @typedef {{type: "stop"}} LabStopMsg  stop training the lab's models (their curves stay)
 * @typedef {{type: "main", points: Float32Array, config: object, options: SamplingOptions}} LabMainMsg
 *   the main model's points and config: its training subset, held-out points and the ideal denoiser's copies
 * @typedef {{type: "samples", generation: number, step: number, xy: Float32Array}} LabSamplesMsg  the main model's
 *   latest samples (of the weights of `step`)
 */
export const ToLab = Object.freeze({ start: "start", stop: "stop", main: "main", samples: "samples" });
/**
 * @typedef {{type: "ready"}} LabReadyMsg
 * @typedef {{type: "started", sizes: number[], steps: number[], trains: Float32Array[]}} LabStartedMsg  the sizes
 *   trained, each one's training points, and the evaluation steps planned (after the untrained model's, at step 0)
 * @typedef {{type: "evaluation", n: number, step: number, copyShare: number, baseRate: number,
 *            testDistance: number, xy: Float32Array, copies: Uint8Array, times: MemorisationTimes}} LabEvaluationMsg
 *   one model's evaluation: its samples and which are copies; times: tauGen, tauFall, tauMem so far
 * @typedef {{type: "finished"} | {type: "stopped"}} LabEndMsg
 * @typedef {{type: "main", trainCount: number, heldOutCount: number, baseRate: number | null,
 *            idealShare: number | null}} LabMainInfoMsg  the main model's training set, its base rate (null: no
 *   held-out points) and the share of the ideal denoiser's samples that copy
 * @typedef {{type: "mainSamples", generation: number, step: number, copyShare: number}} LabMainSamplesMsg
 * @typedef {{type: "error", message: string}} LabErrorMsg
 */
export const FromLab = Object.freeze({
  ready: "ready", started: "started", evaluation: "evaluation", finished: "finished", stopped: "stopped",
  main: "main", mainSamples: "mainSamples", error: "error",
});
