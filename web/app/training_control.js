// Train, pause and step: the one owner of state.training (and of
// resumeWhenReady, a Train pressed while a model was being made).
import { $ } from "./dom.js";

export class TrainingControl {
  // workers: the WorkerClient; banner: the Banner.
  constructor(state, workers, banner) {
    this.state = state;
    this.workers = workers;
    this.banner = banner;
  }

  toggle() { return this.state.training ? this.pause() : this.play(); }

  play() {
    if (!this.checkData()) return;
    if (!this.state.modelReady) { this.state.resumeWhenReady = true; return; }
    this.show(true);
    this.workers.play();
  }

  pause() {
    this.state.resumeWhenReady = false;
    this.show(false);
    this.workers.pause();
  }

  // `steps` steps, then pause.
  trainSteps(steps) {
    if (!this.checkData() || !this.state.modelReady) return;
    if (this.state.training) this.pause();
    this.workers.step(steps);
  }

  // Training stops (the model is being replaced); it resumes once the new one is ready.
  holdForNewModel() {
    if (this.state.training) this.state.resumeWhenReady = true;
    this.show(false);
  }

  // The new model is ready: training resumes if it was held for it.
  resumeIfHeld() {
    if (!this.state.resumeWhenReady) return;
    this.state.resumeWhenReady = false;
    this.play();
  }

  // Training stopped on its own (the worker's last slice, divergence, an error).
  stopped() { this.show(false); }

  show(training) {
    this.state.training = training;
    $("play").classList.toggle("playing", training);
    $("play").querySelector(".label").textContent = training ? "Pause" : "Train";
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
}
