// The model's life: a preset's points asked of the worker, a new model on
// the current points and settings, a loaded model file, and what changed
// points mean for the model (new data, or a new model when their classes
// change). The one owner of modelReady, modelGeneration, modelClasses and
// numTimesteps.
import { DEFAULTS, checkSetting, modelConfig, samplingOptions } from "../shared/settings.js";
import { numClassesOf } from "../shared/classes.js";
import { resetProgress, setPoints } from "./state.js";

const PRESET_POINTS = 8000;

export class ModelLifecycle {
  // workers: the WorkerClient; training: the TrainingControl; hooks:
  // {onModelChanged() (views of the model are stale), onSettingsChanged(),
  //  onPointsShown() (counts, link, canvas), redraw(), onNewModel() (a
  //  configured one: for the screen reader's milestone)}
  constructor(state, workers, training, banner, hooks) {
    this.state = state;
    this.workers = workers;
    this.training = training;
    this.banner = banner;
    this.hooks = hooks;
  }

  // The sampling options for the current model (its classes decide whether
  // a class and the guidance go with them).
  sampling() { return samplingOptions(this.state.settings, this.state.modelClasses); }

  // The points of preset `name`, then a new model on them.
  requestPreset(name) {
    this.workers.dataset(name, PRESET_POINTS, this.state.settings.seed).then(({ xy, labels }) => {
      if (name !== this.state.settings.dataset) return; // the user moved on
      setPoints(this.state, xy, labels.length ? labels : null);
      this.pointsChanged({ syncWorker: false });
      this.configure();
    }, (e) => this.banner.show(e.message, { error: true }));
  }

  // A new model on the current points and settings (conditional when the
  // points have classes); training resumes on it if it was running.
  configure() {
    const s = this.state;
    if (!s.workerReady) return;
    this.training.holdForNewModel();
    s.modelReady = false;
    resetProgress(s);
    this.hooks.redraw();
    const numClasses = numClassesOf(s.labels);
    this.workers.configure(modelConfig(s.settings, numClasses), s.points, s.labels).then((info) => {
      s.modelClasses = numClasses;
      // Sent after the model: a new objective brings a sampler only the new model takes.
      this.workers.setSampling(this.sampling());
      this.arrived(info);
      this.hooks.onNewModel();
      this.training.resumeIfHeld();
    }, (e) => {
      s.resumeWhenReady = false;
      this.banner.show(e.message, { error: true });
    });
  }

  reset() { this.configure(); }

  arrived({ generation, numTimesteps }) {
    this.state.modelReady = true;
    this.state.modelGeneration = generation;
    this.state.numTimesteps = numTimesteps;
    this.hooks.onModelChanged();
  }

  // A model file's bytes: its settings replace the model's; training continues from it.
  async load(bytes) {
    if (this.state.training) this.training.pause();
    const msg = await this.workers.loadModel(bytes);
    this.adopt(msg);
    const s = this.state, c = msg.config;
    const classes = c.numClasses > 0 ? `, ${c.numClasses} classes` : "";
    const fit = msg.dataKept ? "Training continues from it with a fresh optimizer."
      : `Your points do not fit its classes (it has ${c.numClasses || "none"}, your drawing ${numClassesOf(s.labels) || "none"}): it samples, but training needs points of its classes.`;
    this.banner.show(`Loaded the model: ${c.hiddenSize} x ${c.hiddenLayers} blocks, ${c.timeEmbedding} / ${c.inputEmbedding} embeddings of ${c.embeddingSize}, T = ${c.numTimesteps}${classes} (${msg.numParameters.toLocaleString()} weights). ${fit}`);
  }

  // Straightens a flow model's paths (reflow, train_worker.js): a new model
  // with its weights on `pairs` of its own ODE's (noise, solution) pairs.
  // -> the worker's answer ({pairs, solveMs, ...}); training stays paused.
  async reflow(pairs, steps, seed) {
    if (this.state.training) this.training.pause();
    const msg = await this.workers.reflow(pairs, steps, seed);
    this.adopt(msg);
    return msg;
  }

  // A model the worker made from another (loaded or reflowed): its config's settings become the page's.
  adopt(msg) {
    const s = this.state, c = msg.config;
    for (const name of Object.keys(modelConfig(DEFAULTS))) {
      if (name in c && checkSetting(name, c[name]) !== undefined) s.settings[name] = c[name];
    }
    resetProgress(s);
    s.modelClasses = c.numClasses;
    this.workers.setSampling(this.sampling());
    this.arrived(msg);
    this.hooks.onSettingsChanged();
    this.hooks.redraw();
  }

  // After any change of the points: the model (optionally), then counts,
  // link and canvas. Points with a different number of classes need a new model.
  pointsChanged({ syncWorker = true } = {}) {
    const s = this.state;
    const classes = numClassesOf(s.labels);
    if (syncWorker && s.modelReady && s.points.length > 0) {
      if (classes !== s.modelClasses) {
        this.reset();
        this.banner.show(classes > 0
          ? `Your points have ${classes} classes: a new conditional model was started, which learns each class and, through guidance, how they differ.`
          : "Your points have one class now: a new unconditional model was started.");
      } else {
        this.workers.setData(s.points, s.labels);
        this.hooks.onModelChanged(); // the views of the data (the ideal denoiser, q(x_t)) are stale
      }
    }
    this.hooks.onPointsShown();
  }
}
