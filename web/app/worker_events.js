// What each event of the workers does to the state and the views: the
// module is ready, a training slice's progress, a new preview, divergence,
// an error, a worker pair that failed and was replaced. The one owner of
// workerReady, threading, limits, memory, the progress fields, preview and trainingSubset.
import { pushHistory } from "../views/chart.js";

export class WorkerEvents {
  // lifecycle: the ModelLifecycle; training: the TrainingControl; views:
  // {onReady(), onProgress(), onSubset(), onPreview(), redrawStats()}; settings: the
  // SettingsControl (a divergence offers a lower learning rate).
  // Its methods onReady ... onFailed are the handlers the WorkerClient calls.
  constructor(state, workers, lifecycle, training, banner, views, settings) {
    Object.assign(this, { state, workers, lifecycle, training, banner, views, settings });
  }

  onReady({ maxThreads = 1, isolated = false, sharedMemory = false, threadsNote = "", limits = null } = {}) {
    const s = this.state;
    Object.assign(s.threading, { maxThreads, isolated, sharedMemory, cores: navigator.hardwareConcurrency || 1, failure: threadsNote });
    s.limits = limits;
    if (threadsNote) this.banner.show(`Threads: ${threadsNote}.`);
    s.workerReady = true;
    this.views.onReady();
    this.workers.setSampling(this.lifecycle.sampling());
    if (s.settings.dataset !== "custom" && s.points.length === 0) this.lifecycle.requestPreset(s.settings.dataset);
    else this.lifecycle.configure();
  }

  onFailed(reason) {
    this.state.workerReady = false;
    this.state.modelReady = false;
    this.training.stopped();
    this.banner.show(`The training worker failed (${reason}). It was restarted with your data and settings; press Train to continue.`, { error: true });
  }

  onError(message, fatal) {
    this.training.stopped();
    this.banner.show(message, { error: true });
    if (fatal) this.state.workerReady = false;
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
    if (!msg.playing) this.training.stopped();
    this.views.onProgress();
  }

  // Which points the model trains on (after every new model or new points).
  onSubset({ count, indices }) {
    this.state.trainingSubset = indices ? { count, indices } : null;
    this.views.onSubset();
  }

  onPreview(msg) {
    const s = this.state;
    if (msg.generation !== s.modelGeneration) return; // a model that is gone
    s.memory.previewWasmBytes = msg.wasmBytes;
    s.preview = { step: msg.step, points: msg.xy, labels: msg.labels, score: msg.score, memorised: msg.memorised,
      plan: msg.plan, classLabel: msg.classLabel, guidance: msg.guidance, ms: msg.ms, budgetMs: msg.budgetMs, trainingKept: msg.trainingKept };
    // The chart follows training: a redraw of the same weights (another sampler, class or guidance) adds nothing.
    const history = s.scoreHistory, last = history[history.length - 1];
    if (msg.score && msg.step > 0 && !(last && last.step >= msg.step)) pushHistory(history, msg.step, msg.score.chamfer);
    this.views.onPreview();
  }

  onDiverged(msg) {
    this.training.stopped();
    this.state.step = msg.step;
    this.views.redrawStats();
    const high = this.state.settings.learningRate > 1e-3;
    this.banner.show(`Training diverged at step ${msg.step.toLocaleString()}: the loss became ${Number.isNaN(msg.loss) ? "NaN" : "infinite"}. The last good model is kept; lower the learning rate or reset.`,
      { error: true, action: () => (high ? this.settings.apply("learningRate", 1e-3) : this.lifecycle.reset()), actionLabel: high ? "Use lr 0.001 and reset" : "Reset" });
  }
}
