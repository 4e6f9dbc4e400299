// The page's one declared state: every field the page keeps is declared
// here, with the one module that writes it (others only read). Nothing the
// page shows lives anywhere else.
import { DEFAULTS } from "../shared/settings.js";

export function createState() {
  return {
    // --- what the user set and made ---
    settings: { ...DEFAULTS },   // settings_control.js, hash_sync.js (a link), model_lifecycle.js (a loaded file)
    points: new Float32Array(0), // interleaved x, y: the training data (setPoints, below)
    labels: new Int32Array(0),   // the class 0..7 of each point (classes.js) (setPoints, below)
    undo: [],                    // earlier {points, labels}, one per edit (panels/data_panel.js)
    brushClass: 0,               // the class the brush sprays (panels/class_panel.js)
    tool: "draw",                // the canvas tool, "draw", "erase" or null: none (panels/brush.js)
    cursor: null,                // the keyboard's cursor on the canvas {x, y, radius} while it has the focus (panels/canvas_keys.js)

    // --- the workers and the model in them (app/worker_events.js, app/model_lifecycle.js) ---
    workerReady: false,          // the training worker's module is loaded (worker_events.js)
    modelReady: false,           // a model is configured or loaded (model_lifecycle.js)
    modelGeneration: 0,          // the current model's number, one per configure or load (model_lifecycle.js)
    modelClasses: 0,             // the classes of the current model, 0: unconditional (model_lifecycle.js)
    numTimesteps: DEFAULTS.numTimesteps, // the current model's T (model_lifecycle.js)
    // Threads: what the worker's build runs (1: single-threaded), whether the
    // page is cross-origin isolated, whether its workers have SharedArrayBuffer,
    // the cores reported, why the threaded build did not start (or ""), and
    // how many the last slice used (worker_events.js).
    threading: { maxThreads: 1, isolated: false, sharedMemory: false, cores: 1, failure: "", threads: 1 },
    // The wasm module's limits() (the largest model file, the quality and
    // memorised radii), from the training worker's ready message (worker_events.js).
    limits: null,
    // The wasm memory of each worker, as they last reported it (docs/reliability.md) (worker_events.js).
    memory: { trainingWasmBytes: 0, previewWasmBytes: 0 },

    // --- training (app/training_control.js; progress from worker_events.js) ---
    training: false,             // the user's Train is on (training_control.js)
    resumeWhenReady: false,      // start training once the model being configured is ready (training_control.js)
    step: 0,                     // worker_events.js (progress); reset by model_lifecycle.js
    epoch: 0,
    stepsPerSecond: 0,
    lossHistory: [],             // {step, value}: mean loss of each training slice
    scoreHistory: [],            // {step, value}: the live preview's distance to the data

    // --- what is shown ---
    // The live view: exactly what the canvas shows (worker_events.js).
    preview: null,               // {step, points: Float32Array, labels: Int32Array, score, memorised, plan, classLabel, guidance, ms}
    // The points the model trains on when it trains on a subset (the training-points setting;
    // worker_events.js): {count: all the points, indices: Uint32Array}, or null: all of them.
    trainingSubset: null,
    // The animation (views/animation.js): {kind, frames, n, K, T, pos, running, last, followed, ...}
    anim: null,
    // The inspect views' numbers, as last drawn (panels/inspector.js).
    // straighten: {before, after: {step, straightness, oneStepW2} | null, pairs, solveMs} (panels/straighten_panel.js).
    inspect: { lossByT: null, schedule: null, sweep: null, density: null, straighten: null },
    // The overlays under the animation (panels/inspector.js): the field's mode, q(x_t) on or off, and their grids.
    overlay: { mode: "off", densityOn: false, field: null, density: null },
    lastGif: null,               // the bytes of the last exported GIF (app/animation_control.js)
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
