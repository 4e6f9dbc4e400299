// The page: state, controls and drawing on the main thread; training in
// worker.js (see protocol.js for the messages). Settings live in the URL hash.
import { ToWorker, FromWorker } from "./protocol.js";
import {
  DEFAULTS, RECIPES, VIEW_RANGE, MAX_POINTS_IN_HASH, checkSetting, fromHash, toHash, modelConfig, parseCsv, toCsv, recipeOf,
  samplingOptions,
} from "./settings.js";

const MAX_POINTS = 100_000;
const PRESET_POINTS = 8000;
const ANIM_POINTS = 600;
const TRAIL_POINTS = 14;
const LOSS_HISTORY_MAX = 4000;

const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ state --
const state = {
  settings: { ...DEFAULTS },
  points: new Float32Array(0), // interleaved x, y: the training data
  undo: [],                    // earlier `points`, one per edit
  samples: null,               // latest model samples
  score: null,
  lossHistory: [],             // {step, loss}
  scoreHistory: [],            // {step, loss: Chamfer distance of the live preview}
  stepCount: 0,
  epoch: 0,
  stepsPerSecond: 0,
  playing: false,
  modelReady: false,
  workerReady: false,
  tool: "draw",
  anim: null,                  // {kind, frames, n, T, t, playing}
};
// A window for tests and the curious: the state (read it, do not write it),
// and sample(n, seed), which resolves to n fresh samples of the current model.
const pendingSamples = [];
window.tinydiff = {
  state,
  sample(n = 1000, seed = 0) {
    return new Promise((resolve) => {
      pendingSamples.push(resolve);
      send({ type: ToWorker.sample, n, seed });
    });
  },
};

// ----------------------------------------------------------------- banner --
function showBanner(text, { error = false, action = null, actionLabel = "" } = {}) {
  $("banner-text").textContent = text;
  $("banner").classList.toggle("error", error);
  const button = $("banner-action");
  button.hidden = !action;
  button.textContent = actionLabel;
  button.onclick = action ? () => { hideBanner(); action(); } : null;
  $("banner").hidden = false;
}
function hideBanner() { $("banner").hidden = true; }
$("banner-close").onclick = hideBanner;

// ------------------------------------------------------------ feature check --
function wasmSimdSupported() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.validate !== "function") return false;
  // A module whose one function returns i8x16.splat(0): valid only with SIMD.
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  return WebAssembly.validate(bytes);
}

// ----------------------------------------------------------------- worker --
let worker = null;
let workerGeneration = 0;

function startWorker() {
  const generation = ++workerGeneration;
  try {
    worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  } catch (e) {
    showBanner(`This browser cannot run module Web Workers (${e.message}). Try a current Chrome, Edge, Firefox or Safari.`, { error: true });
    return;
  }
  worker.onmessage = (event) => {
    if (generation !== workerGeneration) return;
    lastWorkerMessage = performance.now();
    onWorkerMessage(event.data);
  };
  worker.onerror = (event) => {
    if (generation !== workerGeneration) return;
    event.preventDefault();
    recoverWorker(event.message || "the training worker stopped");
  };
  state.workerReady = false;
  state.modelReady = false;
  send({ type: ToWorker.init });
}

// A worker can also die without an error event (closed, or killed by the
// browser): while training it reports every slice, so a long silence means
// it is gone.
const WORKER_SILENCE_MS = 10000;
let lastWorkerMessage = performance.now();
setInterval(() => {
  if (worker && state.playing && performance.now() - lastWorkerMessage > WORKER_SILENCE_MS) {
    recoverWorker("it stopped answering");
  }
}, 1000);

// A dead worker is replaced; the drawing and settings live here, so nothing is lost.
function recoverWorker(reason) {
  if (worker) worker.terminate();
  setPlaying(false);
  showBanner(`The training worker failed (${reason}). It was restarted with your data and settings; press Train to continue.`, { error: true });
  startWorker();
}

function send(msg, transfer = []) { if (worker) worker.postMessage(msg, transfer); }

function onWorkerMessage(msg) {
  switch (msg.type) {
    case FromWorker.ready:
      state.workerReady = true;
      send({ type: ToWorker.sampling, options: samplingOptions(state.settings) });
      if (state.settings.dataset !== "custom" && state.points.length === 0) requestPreset(state.settings.dataset);
      else configureModel();
      break;
    case FromWorker.dataset:
      if (msg.name !== state.settings.dataset) return; // a stale answer
      state.points = msg.xy;
      onPointsChanged({ syncWorker: false });
      configureModel();
      break;
    case FromWorker.configured:
      state.modelReady = true;
      state.numTimesteps = msg.numTimesteps;
      if (state.resumeAfterConfigure) { state.resumeAfterConfigure = false; play(); }
      break;
    case FromWorker.progress: {
      state.stepCount = msg.stepCount;
      state.epoch = msg.epoch;
      state.stepsPerSecond = msg.stepsPerSecond;
      if (msg.losses.length) {
        let sum = 0;
        for (const l of msg.losses) sum += l;
        pushHistory(state.lossHistory, msg.stepCount, sum / msg.losses.length);
      }
      if (!msg.playing) setPlaying(false);
      updateStats();
      drawLoss();
      break;
    }
    case FromWorker.samples:
      state.samples = msg.xy;
      if (msg.score) {
        state.score = msg.score;
        if (state.stepCount > 0) pushHistory(state.scoreHistory, state.stepCount, msg.score.chamfer);
      }
      if (msg.requested && pendingSamples.length) pendingSamples.shift()(msg.xy);
      drawScore();
      updateStats();
      drawMain();
      break;
    case FromWorker.frames:
      startAnimation(msg);
      break;
    case FromWorker.model:
      downloadBytes(`tinydiff-${state.settings.dataset}-step${state.stepCount}.safetensors`, msg.bytes, "application/octet-stream");
      break;
    case FromWorker.loaded: {
      const c = msg.config;
      for (const name of Object.keys(modelConfig(DEFAULTS))) {
        if (name in c && checkSetting(name, c[name]) !== undefined) state.settings[name] = c[name];
      }
      state.loadingModel = null;
      resetTrainingState();
      state.modelReady = true;
      state.numTimesteps = msg.numTimesteps;
      syncControls();
      writeHash();
      updateStats();
      drawLoss();
      drawScore();
      showBanner(`Loaded the model: ${c.hiddenSize} x ${c.hiddenLayers} blocks, ${c.timeEmbedding} / ${c.inputEmbedding} embeddings of ${c.embeddingSize}, T = ${c.numTimesteps} (${msg.numParameters.toLocaleString()} weights). Training continues from it with a fresh optimizer.`);
      break;
    }
    case FromWorker.diverged:
      setPlaying(false);
      state.stepCount = msg.stepCount;
      updateStats();
      showBanner(`Training diverged at step ${msg.stepCount.toLocaleString()}: the loss became ${Number.isNaN(msg.loss) ? "NaN" : "infinite"}. The last good model is kept; lower the learning rate or reset.`,
        { error: true, action: () => { if (state.settings.learningRate > 1e-3) applySetting("learningRate", 1e-3); else resetModel(); }, actionLabel: state.settings.learningRate > 1e-3 ? "Use lr 0.001 and reset" : "Reset" });
      break;
    case FromWorker.error:
      setPlaying(false);
      if (msg.fatal) showBanner(`Could not start the WebAssembly module: ${msg.message}`, { error: true });
      else if (state.loadingModel) {
        showBanner(`Could not load ${state.loadingModel}: ${msg.message}. The current model is unchanged.`, { error: true });
        state.loadingModel = null;
      } else showBanner(msg.message, { error: true });
      break;
  }
}

// ---------------------------------------------------------------- training --
function configureModel() {
  if (!state.workerReady) return;
  if (state.playing) { // the worker stops for a new model: resume on it
    state.resumeAfterConfigure = true;
    setPlaying(false);
  }
  state.modelReady = false;
  resetTrainingState();
  const data = state.points.slice();
  send({ type: ToWorker.configure, config: modelConfig(state.settings), data }, [data.buffer]);
  updateStats();
  drawLoss();
  drawScore();
  drawMain();
}

// A new model (configured or loaded) starts with no history.
function resetTrainingState() {
  state.samples = null;
  state.score = null;
  state.lossHistory = [];
  state.scoreHistory = [];
  state.stepCount = 0;
  state.epoch = 0;
  state.stepsPerSecond = 0;
}

function setPlaying(playing) {
  state.playing = playing;
  $("play").classList.toggle("playing", playing);
  $("play").querySelector(".label").textContent = playing ? "Pause" : "Train";
}

function checkData() {
  const n = state.points.length / 2;
  if (n === 0) {
    showBanner("There are no points to learn: pick a preset or draw some on the canvas.", { error: true });
    return false;
  }
  if (n < 10) showBanner(`Only ${n} point${n === 1 ? "" : "s"}: the model will learn to reproduce exactly these. Draw more for a shape.`);
  return true;
}

function play() {
  if (!checkData()) return;
  if (!state.modelReady) { state.resumeAfterConfigure = true; return; }
  setPlaying(true);
  lastWorkerMessage = performance.now();
  send({ type: ToWorker.play });
}
function pause() { setPlaying(false); send({ type: ToWorker.pause }); }
function resetModel() {
  const wasPlaying = state.playing;
  setPlaying(false);
  state.resumeAfterConfigure = wasPlaying;
  configureModel();
}

$("play").onclick = () => (state.playing ? pause() : play());
$("step").onclick = () => {
  if (!checkData() || !state.modelReady) return;
  if (state.playing) pause();
  send({ type: ToWorker.step, steps: 100 });
};
$("reset").onclick = () => { hideBanner(); resetModel(); };

// Appends to a chart's history; past LOSS_HISTORY_MAX points, halves the
// resolution in place and keeps the span.
function pushHistory(history, step, loss) {
  history.push({ step, loss });
  if (history.length > LOSS_HISTORY_MAX) {
    const merged = [];
    for (let i = 0; i + 1 < history.length; i += 2) merged.push({ step: history[i + 1].step, loss: (history[i].loss + history[i + 1].loss) / 2 });
    history.splice(0, history.length, ...merged);
  }
}

function updateStats() {
  $("stat-epoch").textContent = state.epoch.toLocaleString();
  $("stat-step").textContent = state.stepCount.toLocaleString();
  $("stat-speed").textContent = state.stepsPerSecond ? Math.round(state.stepsPerSecond).toLocaleString() : "–";
  const last = state.lossHistory[state.lossHistory.length - 1];
  $("stat-loss").textContent = last ? last.loss.toFixed(3) : "–";
  $("stat-score").textContent = state.score && state.stepCount > 0 ? state.score.chamfer.toFixed(3) : "–";
}

// ------------------------------------------------------------------ data --
function requestPreset(name) {
  send({ type: ToWorker.dataset, name, n: PRESET_POINTS, seed: state.settings.seed });
}

function pushUndo() {
  state.undo.push(state.points);
  if (state.undo.length > 60) state.undo.shift();
}

// After any change of the points: counts, hash, canvas, and (optionally) the worker.
function onPointsChanged({ syncWorker = true } = {}) {
  $("count-data").textContent = (state.points.length / 2).toLocaleString();
  $("canvas-hint").hidden = state.points.length > 0;
  if (syncWorker && state.modelReady && state.points.length > 0) {
    const data = state.points.slice();
    send({ type: ToWorker.setData, data }, [data.buffer]);
  }
  updatePresetButtons();
  writeHash();
  drawMain();
}

function setDataset(name) {
  if (name === "custom") {
    pushUndo();
    state.settings.dataset = "custom";
    state.points = new Float32Array(0);
    onPointsChanged();
    if (state.playing) pause();
    showBanner("Draw your own data: press and drag on the canvas to spray points, then press Train.");
    return;
  }
  pushUndo();
  state.settings.dataset = name;
  requestPreset(name);
}

document.querySelectorAll("[data-preset]").forEach((b) => { b.onclick = () => setDataset(b.dataset.preset); });
function updatePresetButtons() {
  document.querySelectorAll("[data-preset]").forEach((b) => b.classList.toggle("active", b.dataset.preset === state.settings.dataset));
}

$("undo").onclick = undo;
function undo() {
  if (!state.undo.length) return;
  state.points = state.undo.pop();
  state.settings.dataset = "custom";
  onPointsChanged();
}
$("clear").onclick = () => {
  if (!state.points.length) return;
  pushUndo();
  state.settings.dataset = "custom";
  state.points = new Float32Array(0);
  if (state.playing) pause();
  onPointsChanged();
};

function download(name, text) { downloadBytes(name, text, "text/csv"); }
function downloadBytes(name, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
$("export-data").onclick = () => {
  if (!state.points.length) return showBanner("There are no points to export.", { error: true });
  download(`tinydiff-${state.settings.dataset}.csv`, toCsv(state.points));
};
$("export-samples").onclick = () => {
  if (!state.samples) return showBanner("There are no samples yet: train the model first.", { error: true });
  download(`tinydiff-samples-step${state.stepCount}.csv`, toCsv(state.samples));
};
$("import-csv").onchange = (event) => {
  const file = event.target.files[0];
  event.target.value = "";
  if (file) importCsvFile(file);
};
async function importCsvFile(file) {
  if (file.size > 20 * 1024 * 1024) return showBanner(`${file.name} is larger than 20 MB.`, { error: true });
  try {
    const xy = parseCsv(await file.text(), MAX_POINTS);
    pushUndo();
    state.settings.dataset = "custom";
    state.points = xy;
    onPointsChanged();
    const far = xy.some((v) => Math.abs(v) > VIEW_RANGE);
    showBanner(`Imported ${(xy.length / 2).toLocaleString()} points from ${file.name}.${far ? " Some lie outside the [-6, 6] view." : ""}`);
  } catch (e) {
    showBanner(`Could not import ${file.name}: ${e.message}. Your current points are unchanged.`, { error: true });
  }
}

$("export-model").onclick = () => {
  if (!state.modelReady) return;
  send({ type: ToWorker.saveModel });
};

async function loadModelFile(file) {
  if (file.size > 512 * 1024 * 1024) return showBanner(`${file.name} is larger than 512 MB.`, { error: true });
  if (!state.workerReady) return showBanner("The model cannot be loaded before the WebAssembly module is ready.", { error: true });
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (state.playing) pause();
  state.loadingModel = file.name;
  send({ type: ToWorker.loadModel, bytes }, [bytes.buffer]);
}
$("load-model").onchange = (event) => {
  const file = event.target.files[0];
  event.target.value = "";
  if (file) loadModelFile(file);
};

// Drop a model (.safetensors) or points (.csv / .txt) anywhere on the page.
let dragDepth = 0;
window.addEventListener("dragenter", (e) => { if (e.dataTransfer && [...e.dataTransfer.types].includes("Files")) { dragDepth++; $("drop-hint").hidden = false; } });
window.addEventListener("dragleave", () => { dragDepth = Math.max(0, dragDepth - 1); if (!dragDepth) $("drop-hint").hidden = true; });
window.addEventListener("dragover", (e) => e.preventDefault());
window.addEventListener("drop", (e) => {
  e.preventDefault();
  dragDepth = 0;
  $("drop-hint").hidden = true;
  const file = e.dataTransfer && e.dataTransfer.files[0];
  if (!file) return;
  if (/\.(csv|txt)$/i.test(file.name)) importCsvFile(file);
  else loadModelFile(file);
});

// --------------------------------------------------------------- drawing --
const mainCanvas = $("main-canvas");
const brush = { size: 0.3, density: 6 };
let stroke = null; // {x, y, pointerId, changed}

function bindRange(id, key, digits) {
  const input = $(id), out = $(`${id}-out`);
  const update = () => { brush[key] = Number(input.value); out.textContent = brush[key].toFixed(digits); };
  input.oninput = update;
  update();
}
bindRange("brush-size", "size", 2);
bindRange("brush-density", "density", 0);

function setTool(tool) {
  state.tool = tool;
  $("tool-draw").classList.toggle("active", tool === "draw");
  $("tool-erase").classList.toggle("active", tool === "erase");
}
$("tool-draw").onclick = () => setTool("draw");
$("tool-erase").onclick = () => setTool("erase");

function canvasToData(event) {
  const r = mainCanvas.getBoundingClientRect();
  const x = ((event.clientX - r.left) / r.width) * 2 * VIEW_RANGE - VIEW_RANGE;
  const y = VIEW_RANGE - ((event.clientY - r.top) / r.height) * 2 * VIEW_RANGE;
  return [x, y];
}

function applyBrush() {
  if (!stroke) return;
  const { x, y } = stroke;
  if (state.tool === "draw") {
    const room = MAX_POINTS - state.points.length / 2;
    const count = Math.min(brush.density, room);
    if (count <= 0) {
      showBanner(`The dataset is full (${MAX_POINTS.toLocaleString()} points).`, { error: true });
      return;
    }
    const next = new Float32Array(state.points.length + 2 * count);
    next.set(state.points);
    for (let i = 0; i < count; i++) {
      const r = brush.size * Math.sqrt(Math.random()), a = 2 * Math.PI * Math.random();
      next[state.points.length + 2 * i] = x + r * Math.cos(a);
      next[state.points.length + 2 * i + 1] = y + r * Math.sin(a);
    }
    state.points = next;
  } else {
    const r2 = brush.size * brush.size;
    const kept = [];
    for (let i = 0; i < state.points.length; i += 2) {
      const dx = state.points[i] - x, dy = state.points[i + 1] - y;
      if (dx * dx + dy * dy > r2) kept.push(state.points[i], state.points[i + 1]);
    }
    if (kept.length === state.points.length) return;
    state.points = Float32Array.from(kept);
  }
  stroke.changed = true;
  $("count-data").textContent = (state.points.length / 2).toLocaleString();
  $("canvas-hint").hidden = state.points.length > 0;
  drawMain();
}

function sprayLoop() {
  if (!stroke) return;
  applyBrush();
  requestAnimationFrame(sprayLoop);
}

mainCanvas.addEventListener("pointerdown", (event) => {
  if (event.button !== 0 && event.pointerType === "mouse") return;
  event.preventDefault();
  mainCanvas.setPointerCapture(event.pointerId);
  pushUndo();
  const [x, y] = canvasToData(event);
  stroke = { x, y, pointerId: event.pointerId, changed: false };
  if (state.settings.dataset !== "custom") state.settings.dataset = "custom";
  requestAnimationFrame(sprayLoop);
});
mainCanvas.addEventListener("pointermove", (event) => {
  if (!stroke || event.pointerId !== stroke.pointerId) return;
  [stroke.x, stroke.y] = canvasToData(event);
});
function endStroke(event) {
  if (!stroke || event.pointerId !== stroke.pointerId) return;
  const changed = stroke.changed;
  stroke = null;
  if (!changed) { state.undo.pop(); updatePresetButtons(); return; }
  onPointsChanged();
}
mainCanvas.addEventListener("pointerup", endStroke);
mainCanvas.addEventListener("pointercancel", endStroke);

// --------------------------------------------------------------- settings --
const CHOICES = {
  hiddenSize: [16, 32, 64, 128, 256, 512],
  hiddenLayers: [0, 1, 2, 3, 4, 5],
  embeddingSize: [8, 16, 32, 64, 128, 256],
  timeEmbedding: ["sinusoidal", "learnable", "linear", "zero"],
  inputEmbedding: ["sinusoidal", "learnable", "linear", "identity"],
  numTimesteps: [5, 10, 25, 50, 100, 250, 1000],
  betaSchedule: ["linear", "quadratic", "cosine", "sigmoid"],
  learningRate: [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 1e-5],
  batchSize: [8, 16, 32, 64, 128, 256],
  sampler: ["ddpm", "ddim", "dpm-solver"],
  emaDecay: [0, 0.99, 0.995, 0.999, 0.9999],
};
const NUMBER_INPUTS = ["betaStart", "betaEnd", "seed", "samplerSteps", "eta", "lrDecaySteps", "lrFinalFraction"];
const SAMPLING = ["sampler", "samplerSteps", "eta"]; // changing these keeps the model
const LABELS = {
  hiddenSize: "hidden size", hiddenLayers: "hidden layers", embeddingSize: "embedding size",
  timeEmbedding: "time embedding", inputEmbedding: "input embedding", numTimesteps: "timesteps",
  betaSchedule: "beta schedule", betaStart: "beta start", betaEnd: "beta end",
  learningRate: "learning rate", batchSize: "batch size", seed: "seed",
  sampler: "sampler", samplerSteps: "sampling steps", eta: "eta",
  emaDecay: "weight average", lrDecaySteps: "lr decay steps", lrFinalFraction: "final lr fraction",
};
const RECIPE_NOTES = {
  reference: "The original tiny-diffusion: T = 50 linear betas 1e-4..0.02, constant learning rate. Its dino comes out squashed: ᾱ at T is still 0.6, so sampling starts from the wrong noise.",
  best: "T = 100 quadratic betas reaching pure noise, a 0.999 moving average of the weights, and the learning rate falling to 10% over 50,000 steps: the data's full spread and sharper points (docs/ablations.md).",
  custom: "Your own mix of settings.",
};

function syncRecipe() {
  const current = recipeOf(state.settings);
  const names = [...Object.keys(RECIPES), ...(current === "custom" ? ["custom"] : [])];
  $("recipe").replaceChildren(...names.map((name) => {
    const option = document.createElement("option");
    option.value = name;
    option.textContent = name;
    return option;
  }));
  $("recipe").value = current;
  $("recipe-note").textContent = RECIPE_NOTES[current];
}

function applyRecipe(name) {
  const recipe = RECIPES[name];
  if (!recipe || recipeOf(state.settings) === name) return syncRecipe();
  Object.assign(state.settings, recipe);
  const wasPlaying = state.playing;
  syncControls();
  writeHash();
  resetModel(); // resumes training afterwards if it was running
  showBanner(`Recipe "${name}": a new model was started${wasPlaying ? " and keeps training" : ""}. ${RECIPE_NOTES[name]}`);
}
$("recipe").addEventListener("change", (event) => applyRecipe(event.target.value));

function fillSelect(name) {
  const select = $(name);
  const values = [...CHOICES[name]];
  const current = state.settings[name];
  if (!values.includes(current)) values.push(current); // e.g. from a shared link
  if (typeof current === "number") values.sort((a, b) => a - b);
  select.replaceChildren(...values.map((v) => {
    const option = document.createElement("option");
    option.value = String(v);
    option.textContent = String(v);
    return option;
  }));
  select.value = String(current);
}

function syncControls() {
  for (const name of Object.keys(CHOICES)) fillSelect(name);
  for (const name of NUMBER_INPUTS) $(name).value = String(state.settings[name]);
  document.querySelectorAll(".ddim-only").forEach((el) => { el.hidden = state.settings.sampler === "ddpm"; });
  updatePresetButtons();
  syncRecipe();
}

function applySetting(name, raw) {
  const numeric = typeof DEFAULTS[name] === "number";
  const value = checkSetting(name, numeric ? Number(raw) : raw);
  if (value === undefined || (name === "betaStart" && value > state.settings.betaEnd) ||
      (name === "betaEnd" && value < state.settings.betaStart)) {
    showBanner(`${LABELS[name]} "${String(raw).slice(0, 20)}" is not allowed; it stays ${state.settings[name]}.`, { error: true });
    syncControls();
    return;
  }
  if (value === state.settings[name]) return;
  state.settings[name] = value;
  syncControls();
  writeHash();
  if (SAMPLING.includes(name)) {
    send({ type: ToWorker.sampling, options: samplingOptions(state.settings) });
    const o = samplingOptions(state.settings);
    showBanner(o.sampler === "ddpm" ? "Sampling with DDPM over all T steps."
      : `Sampling with ${o.sampler === "ddim" ? "DDIM" : "DPM-Solver++ (2M: DDIM with a second-order step)"}: ${o.steps} steps, eta ${o.eta}. The same model, fewer denoising steps.`);
    return;
  }
  const wasPlaying = state.playing;
  if (name === "seed" && state.settings.dataset !== "custom") {
    requestPreset(state.settings.dataset); // a preset drawn from the new seed, then a new model
  } else {
    resetModel();
  }
  state.resumeAfterConfigure = wasPlaying;
  showBanner(`${LABELS[name]} is now ${value}: a new model was started${wasPlaying ? " and keeps training" : ""}.`);
}

for (const name of [...Object.keys(CHOICES), ...NUMBER_INPUTS]) {
  $(name).addEventListener("change", (event) => applySetting(name, event.target.value));
}

// ------------------------------------------------------------------ hash --
let writingHash = false;
function writeHash() {
  const hash = toHash(state.settings, state.points);
  writingHash = true;
  history.replaceState(null, "", hash ? `#${hash}` : location.pathname + location.search);
  writingHash = false;
  if (state.settings.dataset === "custom" && state.points.length / 2 > MAX_POINTS_IN_HASH) {
    $("count-data").title = `Links keep drawings of up to ${MAX_POINTS_IN_HASH} points; this one is only in this tab.`;
  } else {
    $("count-data").title = "";
  }
}

function readHash() {
  const { settings, points, problems } = fromHash(location.hash);
  state.settings = settings;
  if (points) state.points = points;
  if (problems.length) showBanner(`Parts of the link were ignored: ${problems.slice(0, 3).join("; ")}.`, { error: true });
}

window.addEventListener("hashchange", () => {
  if (writingHash) return;
  readHash();
  syncControls();
  onPointsChanged({ syncWorker: false });
  if (state.settings.dataset !== "custom") requestPreset(state.settings.dataset);
  else resetModel();
});

// -------------------------------------------------------------- rendering --
function setupCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const r = canvas.getBoundingClientRect();
  const w = Math.max(1, Math.round(r.width * ratio)), h = Math.max(1, Math.round(r.height * ratio));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, w: r.width, h: r.height };
}

function drawGrid(ctx, size) {
  ctx.clearRect(0, 0, size, size);
  ctx.strokeStyle = "#eceef4";
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let g = -VIEW_RANGE + 2; g < VIEW_RANGE; g += 2) {
    const p = Math.round(((g + VIEW_RANGE) / (2 * VIEW_RANGE)) * size) + 0.5;
    ctx.moveTo(p, 0); ctx.lineTo(p, size);
    ctx.moveTo(0, p); ctx.lineTo(size, p);
  }
  ctx.stroke();
}

function drawPoints(ctx, size, xy, color, radius, alpha, count = xy.length / 2) {
  const scale = size / (2 * VIEW_RANGE);
  ctx.fillStyle = color;
  ctx.globalAlpha = alpha;
  const d = radius * 2;
  for (let i = 0; i < count; i++) {
    const px = (xy[2 * i] + VIEW_RANGE) * scale, py = (VIEW_RANGE - xy[2 * i + 1]) * scale;
    ctx.fillRect(px - radius, py - radius, d, d);
  }
  ctx.globalAlpha = 1;
}

let mainFrame = 0;
function drawMain() {
  if (mainFrame) return;
  mainFrame = requestAnimationFrame(() => {
    mainFrame = 0;
    const { ctx, w } = setupCanvas(mainCanvas);
    drawGrid(ctx, w);
    const n = state.points.length / 2;
    if ($("show-data").checked && n) {
      drawPoints(ctx, w, state.points, "#9aa5b8", n > 20000 ? 0.8 : 1.4, n > 3000 ? 0.3 : 0.6);
    }
    if ($("show-samples").checked && state.samples) {
      drawPoints(ctx, w, state.samples, "#4f46e5", 1.7, 0.9);
      // An untrained (or diverging) model scatters samples far out: say so
      // rather than show an empty plot.
      let outside = 0;
      for (let i = 0; i < state.samples.length; i += 2) {
        if (!(Math.abs(state.samples[i]) <= VIEW_RANGE && Math.abs(state.samples[i + 1]) <= VIEW_RANGE)) outside++;
      }
      const total = state.samples.length / 2;
      if (outside > 0.1 * total) {
        ctx.font = "12px system-ui, sans-serif";
        ctx.fillStyle = "#4f46e5";
        ctx.fillText(`${outside} of ${total} samples lie outside the view${state.stepCount ? "" : " (the model is untrained)"}`, 10, w - 10);
      }
    }
  });
}
$("show-data").onchange = drawMain;
$("show-samples").onchange = drawMain;

// A line chart of {step, loss} points: faint raw values, a strong moving
// average; log scale for the loss, linear for the distance.
function drawChart(canvas, data, { log, empty, smoothing }) {
  const { ctx, w, h } = setupCanvas(canvas);
  ctx.clearRect(0, 0, w, h);
  const pad = { l: 34, r: 6, t: 8, b: 18 };
  ctx.font = "10px system-ui, sans-serif";
  ctx.fillStyle = "#6b7385";
  if (data.length < 2) {
    ctx.fillText(empty, pad.l, h / 2);
    return;
  }
  const f = log ? Math.log10 : (v) => v;
  const inv = log ? (v) => 10 ** v : (v) => v;
  let lo = Infinity, hi = -Infinity;
  for (const { loss } of data) if (Number.isFinite(loss) && (!log || loss > 0)) { lo = Math.min(lo, f(loss)); hi = Math.max(hi, f(loss)); }
  const margin = Math.max(0.05, (hi - lo) * 0.08);
  lo -= margin; hi += margin;
  if (!log) lo = Math.max(0, lo);
  const maxStep = data[data.length - 1].step, minStep = data[0].step;
  const X = (s) => pad.l + ((s - minStep) / Math.max(1, maxStep - minStep)) * (w - pad.l - pad.r);
  const Y = (v) => pad.t + (1 - (f(v) - lo) / (hi - lo)) * (h - pad.t - pad.b);
  const ticks = [];
  const step = log ? 0.25 : Math.max(0.01, Number(((hi - lo) / 3).toPrecision(1)));
  for (let e = Math.ceil(lo / step) * step; e <= hi; e += step) ticks.push(inv(e));
  ctx.strokeStyle = "#eceef4";
  ctx.beginPath();
  for (const v of ticks) { const y = Y(v); ctx.moveTo(pad.l, y); ctx.lineTo(w - pad.r, y); }
  ctx.stroke();
  for (const v of ticks) ctx.fillText(v.toPrecision(2), 2, Y(v) + 3);
  ctx.fillText(`step ${maxStep.toLocaleString()}`, w - pad.r - 70, h - 4);
  ctx.lineWidth = 1;
  ctx.strokeStyle = "rgba(91, 91, 214, 0.25)";
  ctx.beginPath();
  data.forEach((p, i) => (i ? ctx.lineTo(X(p.step), Y(p.loss)) : ctx.moveTo(X(p.step), Y(p.loss))));
  ctx.stroke();
  ctx.lineWidth = 2;
  ctx.strokeStyle = "#5b5bd6";
  ctx.beginPath();
  let ema = data[0].loss;
  data.forEach((p, i) => { ema = smoothing * ema + (1 - smoothing) * p.loss; i ? ctx.lineTo(X(p.step), Y(ema)) : ctx.moveTo(X(p.step), Y(ema)); });
  ctx.stroke();
}

// The loss is noisy step to step: smooth it hard. The distance comes every
// second or so and is already an average: smooth it lightly.
function drawLoss() { drawChart($("loss-canvas"), state.lossHistory, { log: true, smoothing: 0.9, empty: "the loss appears here while training" }); }
function drawScore() { drawChart($("score-canvas"), state.scoreHistory, { log: false, smoothing: 0.5, empty: "the distance to the data appears here" }); }

// ------------------------------------------------------------- animation --
function requestAnimation(kind) {
  if (!state.modelReady) return;
  if (kind === "forward" && !state.points.length) return showBanner("The forward process needs data: pick a preset or draw.", { error: true });
  $("anim-caption").textContent = kind === "forward" ? "Noising the data…" : "Denoising with the model…";
  send({ type: ToWorker.frames, kind, n: ANIM_POINTS, seed: 11 });
}
$("anim-forward").onclick = () => requestAnimation("forward");
$("anim-reverse").onclick = () => requestAnimation("reverse");

// Animation state: frames[k] for k = 0..K. The timeline shows the noise
// level, left (data) to right (noise), so position p is frame p going
// forward and frame K - p in reverse.
function startAnimation({ kind, frames, n, numTimesteps, numFrames }) {
  const K = numFrames - 1;
  state.anim = { kind, frames, n, K, T: numTimesteps, pos: kind === "forward" ? 0 : K, playing: true, last: performance.now(),
    ddim: kind === "reverse" && K !== numTimesteps };
  $("anim-forward").classList.toggle("active", kind === "forward");
  $("anim-reverse").classList.toggle("active", kind === "reverse");
  const slider = $("anim-t");
  slider.max = String(K);
  slider.disabled = false;
  $("anim-play").disabled = false;
  $("anim-caption").textContent = kind === "forward"
    ? `Forward: each step keeps √(1−β) of a point and adds √β of fresh noise, until t = ${K}.`
    : `Reverse: from pure noise, the model removes its predicted noise ${state.anim.ddim ? `in ${K} ${state.settings.sampler === "dpm-solver" ? "DPM-Solver" : "DDIM"} steps` : "step by step"} (after ${state.stepCount.toLocaleString()} training steps).`;
  requestAnimationFrame(animate);
}

const frameIndex = (a, pos) => (a.kind === "forward" ? pos : a.K - pos);
const animDone = (a) => (a.kind === "forward" ? a.pos >= a.K : a.pos <= 0);

function animate(now) {
  const a = state.anim;
  if (!a) return;
  if (a.playing) {
    const dt = ((now - a.last) / 3000) * a.K;
    a.last = now;
    a.pos = a.kind === "forward" ? Math.min(a.K, a.pos + dt) : Math.max(0, a.pos - dt);
    if (animDone(a)) a.playing = false;
  }
  drawAnimation();
  $("anim-play").innerHTML = a.playing ? "&#x275A;&#x275A;" : "&#x25B6;";
  if (a.playing) requestAnimationFrame(animate);
}

function drawAnimation() {
  const a = state.anim;
  const { ctx, w } = setupCanvas($("anim-canvas"));
  drawGrid(ctx, w);
  if (!a) return;
  const pos = Math.round(a.pos);
  const k = frameIndex(a, pos);
  const stride = a.n * 2;
  drawPoints(ctx, w, a.frames.subarray(k * stride, (k + 1) * stride), a.kind === "forward" ? "#8e9ab0" : "#4f46e5", 1.5, 0.75);
  // Trails: a few points' paths from the start of the animation to now.
  const scale = w / (2 * VIEW_RANGE);
  ctx.lineWidth = 1.3;
  ctx.strokeStyle = "rgba(240, 140, 46, 0.85)";
  ctx.fillStyle = "#f08c2e";
  const at = (f, i) => [(a.frames[f * stride + 2 * i] + VIEW_RANGE) * scale, (VIEW_RANGE - a.frames[f * stride + 2 * i + 1]) * scale];
  for (let p = 0; p < Math.min(TRAIL_POINTS, a.n); p++) {
    const i = Math.floor((p * a.n) / TRAIL_POINTS);
    ctx.beginPath();
    for (let f = 0; f <= k; f++) { const [x, y] = at(f, i); f ? ctx.lineTo(x, y) : ctx.moveTo(x, y); }
    ctx.stroke();
    const [x, y] = at(k, i);
    ctx.beginPath();
    ctx.arc(x, y, 3, 0, 2 * Math.PI);
    ctx.fill();
  }
  $("anim-t").value = String(pos);
  $("anim-t-out").textContent = a.ddim ? `step ${k} / ${a.K}` : `t = ${pos}`;
}

$("anim-t").oninput = (event) => {
  const a = state.anim;
  if (!a) return;
  a.playing = false;
  a.pos = Number(event.target.value);
  animate(performance.now());
};
$("anim-play").onclick = () => {
  const a = state.anim;
  if (!a) return;
  if (!a.playing && animDone(a)) a.pos = a.kind === "forward" ? 0 : a.K; // replay from the start
  a.playing = !a.playing;
  a.last = performance.now();
  requestAnimationFrame(animate);
};

// -------------------------------------------------------------- keyboard --
document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, select, textarea")) return;
  if (event.key === " ") { event.preventDefault(); state.playing ? pause() : play(); }
  else if ((event.ctrlKey || event.metaKey) && event.key === "z") { event.preventDefault(); undo(); }
  else if (event.key === "b") setTool("draw");
  else if (event.key === "e") setTool("erase");
});

window.addEventListener("resize", () => { drawMain(); drawLoss(); drawScore(); drawAnimation(); });

// ------------------------------------------------------------------ start --
readHash();
syncControls();
onPointsChanged({ syncWorker: false });
updateStats();
drawLoss();
drawScore();
drawAnimation();
if (!wasmSimdSupported()) {
  showBanner("This browser lacks WebAssembly SIMD, which tinydiff needs. Please use a current Chrome, Edge, Firefox or Safari.", { error: true });
} else {
  startWorker();
}
