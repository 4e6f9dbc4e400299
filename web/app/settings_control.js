// What a changed setting does: sampling options go to the workers, threads
// change on the same model, anything the model is made of starts a new
// model (a preset's seed draws its points again); each says so in the banner.
import { RECIPES, RECIPE_NOTES, field, needsNewModel, recipeOf, withChange } from "../shared/settings.js";
import { samplingBanner } from "../shared/captions.js";
import { trainingThreads } from "../shared/threads.js";

const cores = () => navigator.hardwareConcurrency || 1;

export class SettingsControl {
  // lifecycle: the ModelLifecycle; training: the TrainingControl; hooks:
  // {onSettingsChanged() (form, palette, link), onClassChanged()}
  constructor(state, workers, lifecycle, training, banner, hooks) {
    this.state = state;
    this.workers = workers;
    this.lifecycle = lifecycle;
    this.training = training;
    this.banner = banner;
    this.hooks = hooks;
  }

  apply(name, value) {
    const s = this.state;
    Object.assign(s.settings, withChange(s.settings, name, value));
    this.hooks.onSettingsChanged();
    const f = field(name);
    if (f.target === "sampling") {
      const options = this.lifecycle.sampling();
      this.workers.setSampling(options);
      if (name === "sampleClass" || name === "guidance") return this.hooks.onClassChanged(); // the caption says it
      this.banner.show(samplingBanner(options));
      return;
    }
    if (name === "threads") return this.applyThreads();
    const wasTraining = s.training;
    if (name === "seed" && s.settings.dataset !== "custom") {
      if (wasTraining) { this.training.pause(); s.resumeWhenReady = true; }
      this.lifecycle.requestPreset(s.settings.dataset); // a preset drawn from the new seed, then a new model
    } else if (needsNewModel(name)) {
      this.lifecycle.reset();
    }
    this.banner.show(`${f.label} is now ${value}: a new model was started${wasTraining ? " and keeps training" : ""}.`);
  }

  // The same model trains on, with the new count (its results differ from
  // another count's in float rounding only).
  applyThreads() {
    const s = this.state;
    const wanted = trainingThreads(s.settings.threads, cores());
    this.workers.setThreads(wanted, s.settings.threads === 0);
    const { maxThreads, isolated } = s.threading;
    const runs = Math.min(wanted, maxThreads);
    const timed = s.settings.threads === 0 && runs > 1; // auto: the worker times counts up to `runs` (thread_tuner.js)
    const threads = `${timed ? "up to " : ""}${runs} thread${runs === 1 ? "" : "s"}`;
    const auto = s.settings.threads === 0
      ? ` (auto: one fewer than this machine's ${cores()} cores${timed ? ", and of those the count that trains this model fastest, timed on its first slices" : ""})` : "";
    this.banner.show(wanted > maxThreads
      ? `Training runs on ${threads}: ${isolated ? `this build runs at most ${maxThreads}` : "more than one needs a cross-origin isolated page (see web/README.md), and this one is not"}.`
      : `Training runs on ${threads}${auto}.`);
  }

  applyRecipe(name) {
    const recipe = RECIPES[name];
    if (!recipe || recipeOf(this.state.settings) === name) return this.hooks.onSettingsChanged();
    Object.assign(this.state.settings, recipe);
    const wasTraining = this.state.training;
    this.hooks.onSettingsChanged();
    this.lifecycle.reset(); // resumes training afterwards if it was running
    this.banner.show(`Recipe "${name}": a new model was started${wasTraining ? " and keeps training" : ""}. ${RECIPE_NOTES[name]}`);
  }
}
