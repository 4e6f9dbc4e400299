// The Memorisation view's controls and its worker: Run starts the lab on
// the page's points (workers/memorisation_worker.js, started the first time
// the view opens), Stop stops it; the size whose samples are drawn; and the
// main model's points, settings and latest samples, sent while the view is
// open, for the line that scores the main model. Milestones (a size began to
// copy, the run finished) are announced.
import { ToLab, FromLab } from "../shared/protocol.js";
import { modelConfig } from "../shared/settings.js";
import { MemorisationView } from "../views/memorisation_view.js";
import { $ } from "../app/dom.js";

const SAMPLES_MS = 1000;  // the main model's samples are scored at most this often

export class MemorisationPanel {
  // hooks: {sampling() (the main model's sampling options), announce(text), onError(message)}
  constructor(state, hooks) {
    this.state = state;
    this.hooks = hooks;
    this.view = new MemorisationView();
    this.worker = null;
    this.ready = false;
    this.queue = [];          // messages for a worker still loading
    this.running = false;
    this.open = false;
    this.mainInfo = null;
    this.sentAt = 0;
    $("mem-run").onclick = () => (this.running ? this.stop() : this.run());
    $("mem-n").onchange = (e) => this.view.choose(Number(e.target.value));
    window.addEventListener("resize", () => { if (this.open) this.view.draw(); });
  }

  send(msg, transfer = []) {
    if (this.ready) this.worker.postMessage(msg, transfer);
    else this.queue.push([msg, transfer]);
  }

  // The view is shown: the worker starts, the main model is scored.
  shown() {
    this.open = true;
    if (!this.worker) {
      this.worker = new Worker(new URL("../workers/memorisation_worker.js", import.meta.url), { type: "module" });
      this.worker.onmessage = (e) => this.onMessage(e.data);
      this.worker.onerror = (e) => { e.preventDefault(); this.hooks.onError(`The memorisation lab's worker failed: ${e.message || "it could not start"}.`); };
    }
    this.view.draw();
    this.sendMain();
  }

  hidden() { this.open = false; }

  run() {
    const s = this.state;
    if (!s.points.length) return this.hooks.onError("The memorisation lab needs data: pick a preset or draw.");
    this.running = true;
    this.showRunning();
    $("mem-status").textContent = "Starting the lab's models…";
    this.send({ type: ToLab.start, points: s.points.slice(), seed: s.settings.seed });
  }

  stop() {
    this.send({ type: ToLab.stop });
    this.running = false;
    this.showRunning();
  }

  showRunning() {
    const button = $("mem-run");
    button.textContent = this.running ? "Stop the lab" : "Run the lab";
  }

  // A new main model (configured, loaded, or new points): its subset and base rate anew.
  onModel() {
    this.mainInfo = null;
    if (this.open) this.sendMain();
  }

  sendMain() {
    const s = this.state;
    if (!this.worker || !s.modelReady) return;
    this.view.showMain(null);
    this.send({ type: ToLab.main, points: s.points.slice(), config: modelConfig(s.settings, 0), options: this.hooks.sampling() });
  }

  // A new preview of the main model: its samples scored, at most every SAMPLES_MS.
  onPreview() {
    const p = this.state.preview;
    if (!this.open || !this.mainInfo || !p || performance.now() - this.sentAt < SAMPLES_MS) return;
    this.sentAt = performance.now();
    this.send({ type: ToLab.samples, generation: this.state.modelGeneration, step: p.step, xy: p.points.slice() });
  }

  onMessage(msg) {
    switch (msg.type) {
      case FromLab.ready:
        this.ready = true;
        for (const [m, t] of this.queue.splice(0)) this.worker.postMessage(m, t);
        break;
      case FromLab.started:
        this.view.reset(msg.sizes, msg.trains, msg.steps);
        $("mem-status").textContent = `Training ${msg.sizes.length} models (n = ${msg.sizes.join(", ")}) to step ${msg.steps[msg.steps.length - 1].toLocaleString()}…`;
        break;
      case FromLab.evaluation:
        if (this.view.add(msg)) this.hooks.announce(`The lab's model of ${msg.n} points began to copy its training points at step ${msg.times.tauMem.toLocaleString()}.`);
        if (msg.step > 0) $("mem-status").textContent = `n = ${msg.n} at step ${msg.step.toLocaleString()}: ${Math.round(100 * msg.copyShare)}% copies, base rate ${Math.round(100 * msg.baseRate)}%.`;
        break;
      case FromLab.finished:
        this.running = false;
        this.showRunning();
        $("mem-status").textContent = "The lab finished: the table below has each size's training times.";
        this.hooks.announce("The memorisation lab finished; its table has each size's training times.");
        break;
      case FromLab.stopped:
        $("mem-status").textContent = "Stopped. Run the lab again to start over.";
        break;
      case FromLab.main:
        this.mainInfo = msg;
        this.sentAt = 0;
        this.view.showMain(msg, null, 0);
        this.onPreview();
        break;
      case FromLab.mainSamples:
        if (msg.generation !== this.state.modelGeneration || !this.mainInfo) break;
        this.view.showMain(this.mainInfo, msg.copyShare, msg.step);
        break;
      case FromLab.error:
        this.running = false;
        this.showRunning();
        $("mem-status").textContent = msg.message;
        this.hooks.onError(msg.message);
        break;
    }
  }
}
