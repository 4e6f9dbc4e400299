// Train, pause and step: the one owner of state.training (and of
// resumeWhenReady, a Train pressed while a model was being made). Says the
// milestones (started, paused, stopped, a Step done) to screen readers.
import { $ } from "./dom.js";
import { announce } from "./announcer.js";

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
    announce("Training started.");
    this.start();
  }

  start() {
    if (!this.state.modelReady) { this.state.resumeWhenReady = true; return; }
    this.show(true);
    this.workers.play();
  }

  pause() {
    const was = this.state.training;
    this.state.resumeWhenReady = false;
    this.show(false);
    this.workers.pause();
    if (was) announce(`Paused at step ${this.state.step.toLocaleString()}${this.distance()}.`);
  }

  // ", distance to the data D" of the samples shown, when trained.
  distance() {
    const p = this.state.preview;
    return p && p.score && p.step > 0 ? `; the samples' distance to the data is ${p.score.chamfer.toFixed(3)}` : "";
  }

  // `steps` steps, then pause.
  trainSteps(steps) {
    if (!this.checkData() || !this.state.modelReady) return;
    if (this.state.training) this.pause();
    this.stepping = steps;
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
    this.start();
  }

  // Training stopped on its own (the worker's last slice, divergence, an error).
  stopped() {
    if (this.state.training) announce(`Training stopped at step ${this.state.step.toLocaleString()}.`);
    else if (this.stepping) announce(`Trained ${this.stepping} steps: now at step ${this.state.step.toLocaleString()}${this.distance()}.`);
    this.stepping = 0;
    this.show(false);
  }

  show(training) {
    this.state.training = training;
    $("play").classList.toggle("playing", training);
    $("play").querySelector(".label").textContent = training ? "Pause" : "Train";
    $("play").title = training ? "Pause (Space)" : "Train (Space)";
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
