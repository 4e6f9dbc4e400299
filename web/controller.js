// The page's controller: what each user action and each worker event does
// to the state, the workers and the views. The views draw, the panels take
// input, the trainer talks to the workers; this decides.
import { DEFAULTS, MAX_POINTS, RECIPES, RECIPE_NOTES, checkSetting, field, modelConfig, needsNewModel, recipeOf, samplingOptions, withChange } from "./settings.js";
import { MAX_POINTS_IN_HASH, fromHash, toHash } from "./link.js";
import { createState, resetProgress, setPoints } from "./state.js";
import { numClassesOf } from "./classes.js";
import { ClassPanel } from "./class_panel.js";
import { Banner } from "./banner.js";
import { Trainer } from "./trainer.js";
import { ScatterView } from "./scatter_view.js";
import { Chart, pushHistory } from "./chart.js";
import { AnimationPlayer } from "./animation.js";
import { SettingsPanel } from "./settings_panel.js";
import { DataPanel } from "./data_panel.js";
import { Brush } from "./brush.js";
import { Inspector } from "./inspector.js";
import { encodeAnimationGif } from "./gif_export.js";
import { poolThreads, trainingThreads } from "./threads.js";
import { forwardCaption, reverseCaption, samplingBanner } from "./captions.js";

const $ = (id) => document.getElementById(id);
const PRESET_POINTS = 8000;
const cores = () => navigator.hardwareConcurrency || 1;
const ANIM_POINTS = 600;

export class Controller {
  constructor() {
    this.state = createState();
    this.banner = new Banner();
    this.trainer = new Trainer({
      onReady: (info) => this.onReady(info),
      onProgress: (msg) => this.onProgress(msg),
      onPreview: (msg) => this.onPreview(msg),
      onDiverged: (msg) => this.onDiverged(msg),
      onError: (message, fatal) => { this.setPlaying(false); this.banner.show(message, { error: true }); if (fatal) this.state.workerReady = false; },
      onFailed: (reason) => this.onWorkersFailed(reason),
    });
    this.scatter = new ScatterView(this.state);
    this.lossChart = new Chart($("loss-canvas"), { log: true, smoothing: 0.9, empty: "the loss appears here while training" });
    // The distance comes with each preview and is already an average: smooth it
    // lightly. It falls from tens (untrained) to hundredths: a log scale.
    this.scoreChart = new Chart($("score-canvas"), { log: true, smoothing: 0.5, empty: "the distance to the data appears here" });
    this.animation = new AnimationPlayer(this.state, { onFrame: () => this.inspector && this.inspector.onFrame() });
    this.inspector = new Inspector(this.state, this.trainer, {
      animation: this.animation,
      onError: (message) => this.banner.show(message, { error: true }),
      requestAnimation: (kind) => this.requestAnimation(kind),
    });
    this.settingsPanel = new SettingsPanel(this.state, {
      onChange: (name, value) => this.applySetting(name, value),
      onRecipe: (name) => this.applyRecipe(name),
      onRefused: (message) => this.banner.show(message, { error: true }),
    });
    this.dataPanel = new DataPanel(this);
    this.classPanel = new ClassPanel(this.state, {
      onBrushClass: (k) => { this.state.brushClass = k; },
      onChange: (name, value) => this.applySetting(name, value),
    });
    this.brush = new Brush(this.state, $("main-canvas"), MAX_POINTS, {
      onStrokeStart: () => { this.banner.hideHint(); this.dataPanel.pushUndo(); this.state.settings.dataset = "custom"; },
      onPaint: () => { this.dataPanel.showCount(); this.scatter.update(); },
      onStrokeEnd: (changed) => { if (changed) this.onPointsChanged(); else this.dataPanel.dropUndo(); },
      onFull: () => this.banner.show(`The dataset is full (${MAX_POINTS.toLocaleString()} points).`, { error: true }),
    });
    this.writingHash = false; // our own replaceState, not the user's navigation
    this.bindControls();
  }

  bindControls() {
    $("play").onclick = () => (this.state.playing ? this.pause() : this.play());
    $("step").onclick = () => this.trainSteps(100);
    $("reset").onclick = () => { this.banner.hide(); this.resetModel(); };
    $("anim-forward").onclick = () => this.requestAnimation("forward");
    $("anim-reverse").onclick = () => this.requestAnimation("reverse");
    $("export-gif").onclick = () => this.exportGif();
    $("show-samples").addEventListener("change", () => {
      this.trainer.setPreviewEnabled($("show-samples").checked);
      this.scatter.update();
      this.scatter.drawCaption();
    });
    document.addEventListener("keydown", (event) => {
      if (event.target.closest("input, select, textarea")) return;
      if (event.key === " ") { event.preventDefault(); this.state.playing ? this.pause() : this.play(); }
      else if ((event.ctrlKey || event.metaKey) && event.key === "z") { event.preventDefault(); this.dataPanel.undo(); }
      else if (event.key === "b") this.brush.setTool("draw");
      else if (event.key === "e") this.brush.setTool("erase");
      else if (/^[1-8]$/.test(event.key)) this.classPanel.setBrushClass(Number(event.key) - 1);
    });
    window.addEventListener("resize", () => this.redraw());
    window.addEventListener("hashchange", () => this.onHashChange());
  }

  start() {
    this.readHash();
    this.settingsPanel.sync();
    this.onPointsChanged({ syncWorker: false });
    this.redraw();
    this.trainer.start({ pool: poolThreads(cores()), training: trainingThreads(this.state.settings.threads, cores()) });
  }

  redraw() {
    this.scatter.update();
    this.lossChart.update(this.state.lossHistory);
    this.scoreChart.update(this.state.scoreHistory);
    this.animation.draw();
    this.updateStats();
  }

  // ------------------------------------------------------------ workers --
  onReady({ maxThreads = 1, isolated = false, threadsNote = "" } = {}) {
    Object.assign(this.state.threading, { maxThreads, isolated });
    if (threadsNote) this.banner.show(`Threads: ${threadsNote}.`);
    this.settingsPanel.sync();
    this.state.workerReady = true;
    this.trainer.setSampling(this.sampling());
    this.trainer.setPreviewEnabled($("show-samples").checked);
    if (this.state.settings.dataset !== "custom" && this.state.points.length === 0) this.requestPreset(this.state.settings.dataset);
    else this.configureModel();
  }

  onWorkersFailed(reason) {
    this.state.workerReady = false;
    this.state.modelReady = false;
    this.setPlaying(false);
    this.banner.show(`The training worker failed (${reason}). It was restarted with your data and settings; press Train to continue.`, { error: true });
  }

  onProgress(msg) {
    const s = this.state;
    // A slice of the model being replaced, posted before the worker took the
    // new one: it belongs to no chart (the new model starts with no history).
    if (!s.modelReady) return;
    s.step = msg.step;
    s.epoch = msg.epoch;
    s.stepsPerSecond = msg.stepsPerSecond;
    s.threading.threads = msg.threads;
    s.memory.trainingWasmBytes = msg.wasmBytes;
    if (msg.losses.length) {
      let sum = 0;
      for (const l of msg.losses) sum += l;
      pushHistory(s.lossHistory, msg.step, sum / msg.losses.length);
    }
    if (!msg.playing) this.setPlaying(false);
    this.updateStats();
    this.lossChart.update(s.lossHistory);
    this.scatter.drawCaption();
  }

  onPreview(msg) {
    if (msg.generation !== this.state.generation) return; // a model that is gone
    this.state.memory.previewWasmBytes = msg.wasmBytes;
    this.state.preview = { step: msg.step, points: msg.xy, labels: msg.labels, score: msg.score, memorised: msg.memorised,
      plan: msg.plan, classLabel: msg.classLabel, guidance: msg.guidance, ms: msg.ms };
    this.inspector.onPreview();
    // The chart follows training: a redraw of the same weights (another sampler, class or guidance) adds nothing.
    const history = this.state.scoreHistory, last = history[history.length - 1];
    if (msg.score && msg.step > 0 && !(last && last.step >= msg.step)) pushHistory(history, msg.step, msg.score.chamfer);
    this.scoreChart.update(this.state.scoreHistory);
    this.scatter.update();
    this.updateStats();
  }

  onDiverged(msg) {
    this.setPlaying(false);
    this.state.step = msg.step;
    this.updateStats();
    const high = this.state.settings.learningRate > 1e-3;
    this.banner.show(`Training diverged at step ${msg.step.toLocaleString()}: the loss became ${Number.isNaN(msg.loss) ? "NaN" : "infinite"}. The last good model is kept; lower the learning rate or reset.`,
      { error: true, action: () => (high ? this.applySetting("learningRate", 1e-3) : this.resetModel()), actionLabel: high ? "Use lr 0.001 and reset" : "Reset" });
  }

  // ------------------------------------------------------------- models --
  requestPreset(name) {
    this.trainer.dataset(name, PRESET_POINTS, this.state.settings.seed).then(({ xy, labels }) => {
      if (name !== this.state.settings.dataset) return; // the user moved on
      setPoints(this.state, xy, labels.length ? labels : null);
      this.onPointsChanged({ syncWorker: false });
      this.configureModel();
    }, (e) => this.banner.show(e.message, { error: true }));
  }

  // The sampling options for the current model (its classes decide whether
  // a class and the guidance go with them).
  sampling() { return samplingOptions(this.state.settings, this.state.modelClasses); }

  // A new model on the current points and settings (conditional when the
  // points have classes); training resumes on it if it was running.
  configureModel() {
    const s = this.state;
    if (!s.workerReady) return;
    if (s.playing) s.resumeWhenReady = true;
    this.setPlaying(false);
    s.modelReady = false;
    resetProgress(s);
    this.redraw();
    const numClasses = numClassesOf(s.labels);
    this.trainer.configure(modelConfig(s.settings, numClasses), s.points, s.labels).then((info) => {
      s.modelClasses = numClasses;
      // Sent after the model: a new objective brings a sampler only the new model takes.
      this.trainer.setSampling(this.sampling());
      this.modelArrived(info);
      if (s.resumeWhenReady) { s.resumeWhenReady = false; this.play(); }
    }, (e) => {
      s.resumeWhenReady = false;
      this.banner.show(e.message, { error: true });
    });
  }

  modelArrived({ generation, numTimesteps }) {
    this.state.modelReady = true;
    this.state.generation = generation;
    this.state.numTimesteps = numTimesteps;
    this.inspector.onModel();
    this.classPanel.sync();
  }

  resetModel() {
    if (this.state.playing) this.state.resumeWhenReady = true;
    this.configureModel();
  }

  // A loaded model file: its settings replace the model's, training continues from it.
  onModelLoaded(msg) {
    const s = this.state;
    const c = msg.config;
    for (const name of Object.keys(modelConfig(DEFAULTS))) {
      if (name in c && checkSetting(name, c[name]) !== undefined) s.settings[name] = c[name];
    }
    resetProgress(s);
    s.modelClasses = c.numClasses;
    this.trainer.setSampling(this.sampling());
    this.modelArrived(msg);
    this.settingsPanel.sync();
    this.classPanel.sync();
    this.writeHash();
    this.redraw();
    const classes = c.numClasses > 0 ? `, ${c.numClasses} classes` : "";
    const fit = msg.dataKept ? "Training continues from it with a fresh optimizer."
      : `Your points do not fit its classes (it has ${c.numClasses || "none"}, your drawing ${numClassesOf(s.labels) || "none"}): it samples, but training needs points of its classes.`;
    this.banner.show(`Loaded the model: ${c.hiddenSize} x ${c.hiddenLayers} blocks, ${c.timeEmbedding} / ${c.inputEmbedding} embeddings of ${c.embeddingSize}, T = ${c.numTimesteps}${classes} (${msg.numParameters.toLocaleString()} weights). ${fit}`);
  }

  // ----------------------------------------------------------- training --
  setPlaying(playing) {
    this.state.playing = playing;
    $("play").classList.toggle("playing", playing);
    $("play").querySelector(".label").textContent = playing ? "Pause" : "Train";
  }

  checkData() {
    const n = this.state.points.length / 2;
    if (n === 0) {
      this.banner.show("There are no points to learn: pick a preset or draw some on the canvas.", { error: true });
      return false;
    }
    if (n < 10) this.banner.show(`Only ${n} point${n === 1 ? "" : "s"}: the model will learn to reproduce exactly these. Draw more for a shape.`);
    return true;
  }

  play() {
    if (!this.checkData()) return;
    if (!this.state.modelReady) { this.state.resumeWhenReady = true; return; }
    this.setPlaying(true);
    this.trainer.play();
  }

  pause() {
    this.state.resumeWhenReady = false;
    this.setPlaying(false);
    this.trainer.pause();
  }

  trainSteps(steps) {
    if (!this.checkData() || !this.state.modelReady) return;
    if (this.state.playing) this.pause();
    this.trainer.step(steps);
  }

  updateStats() {
    const s = this.state;
    $("stat-epoch").textContent = s.epoch.toLocaleString();
    $("stat-step").textContent = s.step.toLocaleString();
    $("stat-speed").textContent = s.stepsPerSecond ? Math.round(s.stepsPerSecond).toLocaleString() : "–";
    $("stat-speed").title = `${s.threading.threads} training thread${s.threading.threads === 1 ? "" : "s"}`;
    const last = s.lossHistory[s.lossHistory.length - 1];
    $("stat-loss").textContent = last ? last.value.toFixed(3) : "–";
    $("stat-score").textContent = s.preview && s.preview.score && s.preview.step > 0 ? s.preview.score.chamfer.toFixed(3) : "–";
  }

  // ----------------------------------------------------------- settings --
  applySetting(name, value) {
    const s = this.state;
    Object.assign(s.settings, withChange(s.settings, name, value));
    this.settingsPanel.sync();
    this.writeHash();
    const f = field(name);
    if (f.target === "sampling") {
      const o = this.sampling();
      this.trainer.setSampling(o);
      if (name === "sampleClass" || name === "guidance") return this.classPanel.sync(); // the caption says it
      this.banner.show(samplingBanner(o));
      return;
    }
    if (name === "threads") return this.applyThreads();
    const wasPlaying = s.playing;
    if (name === "seed" && s.settings.dataset !== "custom") {
      if (wasPlaying) { this.pause(); s.resumeWhenReady = true; }
      this.requestPreset(s.settings.dataset); // a preset drawn from the new seed, then a new model
    } else if (needsNewModel(name)) {
      this.resetModel();
    }
    this.banner.show(`${f.label} is now ${value}: a new model was started${wasPlaying ? " and keeps training" : ""}.`);
  }

  // The same model trains on, with the new count (its results differ from
  // another count's in float rounding only).
  applyThreads() {
    const s = this.state;
    const wanted = trainingThreads(s.settings.threads, cores());
    this.trainer.setThreads(wanted);
    const { maxThreads, isolated } = s.threading;
    const runs = Math.min(wanted, maxThreads);
    const auto = s.settings.threads === 0 ? ` (auto: one fewer than this machine's ${cores()} cores)` : "";
    this.banner.show(wanted > maxThreads
      ? `Training runs on ${runs} thread${runs === 1 ? "" : "s"}: ${isolated ? `this build runs at most ${maxThreads}` : "more than one needs a cross-origin isolated page (see web/README.md), and this one is not"}.`
      : `Training runs on ${runs} thread${runs === 1 ? "" : "s"}${auto}.`);
  }

  applyRecipe(name) {
    const recipe = RECIPES[name];
    if (!recipe || recipeOf(this.state.settings) === name) return this.settingsPanel.syncRecipe();
    Object.assign(this.state.settings, recipe);
    const wasPlaying = this.state.playing;
    this.settingsPanel.sync();
    this.writeHash();
    this.resetModel(); // resumes training afterwards if it was running
    this.banner.show(`Recipe "${name}": a new model was started${wasPlaying ? " and keeps training" : ""}. ${RECIPE_NOTES[name]}`);
  }

  // --------------------------------------------------------------- data --
  // After any change of the points: counts, link, canvas, and (optionally) the worker.
  // Points with a different number of classes need a new model.
  onPointsChanged({ syncWorker = true } = {}) {
    const s = this.state;
    const classes = numClassesOf(s.labels);
    if (syncWorker && s.modelReady && s.points.length > 0) {
      if (classes !== s.modelClasses) {
        this.resetModel();
        this.banner.show(classes > 0
          ? `Your points have ${classes} classes: a new conditional model was started, which learns each class and, through guidance, how they differ.`
          : "Your points have one class now: a new unconditional model was started.");
      } else {
        this.trainer.setData(s.points, s.labels);
        this.inspector.onModel(); // the views of the data (the ideal denoiser, q(x_t)) are stale
      }
    }
    this.classPanel.sync();
    this.settingsPanel.sync();
    this.dataPanel.showCount();
    this.writeHash();
    this.scatter.update();
  }

  // ---------------------------------------------------------------- link --
  writeHash() {
    const hash = toHash(this.state.settings, this.state.points, this.state.labels);
    this.writingHash = true;
    history.replaceState(null, "", hash ? `#${hash}` : location.pathname + location.search);
    this.writingHash = false;
    const tooMany = this.state.settings.dataset === "custom" && this.state.points.length / 2 > MAX_POINTS_IN_HASH;
    $("count-data").title = tooMany ? `Links keep drawings of up to ${MAX_POINTS_IN_HASH} points; this one is only in this tab.` : "";
  }

  readHash() {
    const { settings, points, labels, problems } = fromHash(location.hash);
    this.state.settings = settings;
    if (points) setPoints(this.state, points, labels);
    if (problems.length) this.banner.show(`Parts of the link were ignored: ${problems.slice(0, 3).join("; ")}.`, { error: true });
  }

  onHashChange() {
    if (this.writingHash) return;
    this.readHash();
    this.settingsPanel.sync();
    this.onPointsChanged({ syncWorker: false });
    this.trainer.setSampling(this.sampling());
    if (this.state.settings.dataset !== "custom") this.requestPreset(this.state.settings.dataset);
    else this.resetModel();
  }

  // ----------------------------------------------------------- animation --
  requestAnimation(kind) {
    const s = this.state;
    if (!s.modelReady) return;
    if (kind === "forward" && !s.points.length) return this.banner.show("The forward process needs data: pick a preset or draw.", { error: true });
    $("anim-caption").textContent = kind === "forward" ? "Noising the data…" : "Denoising with the model…";
    this.trainer.frames(kind, ANIM_POINTS, 11).then((msg) => {
      const frames = msg.numFrames - 1, objective = s.settings.objective;
      this.animation.start(msg, kind === "forward" ? forwardCaption(objective, frames)
        : reverseCaption({ sampler: s.settings.sampler, objective, frames, trainingSteps: s.step }));
    }, (e) => this.banner.show(e.message, { error: true }));
  }

  exportGif() {
    const a = this.state.anim;
    if (!a) return;
    try {
      const bytes = encodeAnimationGif(this.animation, a, this.state.overlay);
      const url = URL.createObjectURL(new Blob([bytes], { type: "image/gif" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `tinydiff-${a.kind}-step${this.state.step}.gif`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      this.state.lastGif = bytes;
    } catch (e) {
      this.banner.show(`Could not make the GIF: ${e.message}`, { error: true });
    }
  }
}
