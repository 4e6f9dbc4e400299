// The page's one declared state. Modules read and write it; nothing the
// page shows lives anywhere else.
import { DEFAULTS } from "./settings.js";

export function createState() {
  return {
    settings: { ...DEFAULTS },
    points: new Float32Array(0), // interleaved x, y: the training data
    labels: new Int32Array(0),   // the class 0..7 of each point (classes.js)
    undo: [],                    // earlier {points, labels}, one per edit
    brushClass: 0,               // the class the brush sprays
    // The worker pair and the model in it.
    workerReady: false,
    modelReady: false,
    generation: 0,               // of the current model (the workers count them)
    modelClasses: 0,             // the classes of the current model (0: unconditional)
    numTimesteps: DEFAULTS.numTimesteps,
    playing: false,
    resumeWhenReady: false,      // start training once the model being configured is ready
    // Threads: what the worker's build runs (1: single-threaded), whether the
    // page is cross-origin isolated, and how many the last slice used.
    threading: { maxThreads: 1, isolated: false, threads: 1 },
    // The wasm memory of each worker, as they last reported it (docs/reliability.md).
    memory: { trainingWasmBytes: 0, previewWasmBytes: 0 },
    // Training progress.
    step: 0,
    epoch: 0,
    stepsPerSecond: 0,
    lossHistory: [],             // {step, value}: mean loss of each training slice
    scoreHistory: [],            // {step, value}: the live preview's distance to the data
    // The live view: exactly what the canvas shows.
    preview: null,               // {step, points: Float32Array, labels: Int32Array, score, plan, ms}
    // The drawing tools and the animation.
    tool: "draw",
    anim: null,                  // {kind, frames, n, K, T, pos, playing, last, fewSteps}
  };
}

// Replaces the training points and their classes (labels: one per point;
// null: all class 0).
export function setPoints(state, points, labels = null) {
  state.points = points;
  state.labels = labels || new Int32Array(points.length / 2);
}

// A new model (configured or loaded) starts with no history.
export function resetProgress(state) {
  state.preview = null;
  state.lossHistory = [];
  state.scoreHistory = [];
  state.step = 0;
  state.epoch = 0;
  state.stepsPerSecond = 0;
}
