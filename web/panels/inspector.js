// The inspect panel and the animation's overlays: which view is open, when
// its numbers are asked for again (the preview worker computes them from
// the weights of its last preview, so training never waits), and what each
// answer updates. A view not shown costs nothing. The views are a tab list
// (WAI-ARIA Authoring Practices): one tab in the Tab order, the arrow keys,
// Home and End move between tabs and show each.
import { LossByTView } from "../views/loss_by_t_view.js";
import { ScheduleView } from "../views/schedule_view.js";
import { SweepView } from "../views/sweep_view.js";
import { DensityView, densityGrid } from "../views/density_view.js";
import { DENSITY_GRID, FIELD_GRID, gridPoints } from "../views/field_overlay.js";
import { $ } from "../app/dom.js";

const LOSS_POINTS_PER_T = 128;
const DENSITY_STEPS = 40;   // RK4 steps of the change of variables: ~1 s for the grid in wasm
const DENSITY_POINTS = 500; // held-out (or fresh) points the likelihood averages over
const FRESH_SEED_OFFSET = 1000; // a preset's fresh points: another seed's draw, as eval's --data_seed 1000
const SWEEP_SAMPLES = 200;  // ~10 s in wasm with the ideal denoiser over 8000 points
const REFRESH_MS = 1000;     // an open view follows training at most this often

export class Inspector {
  // hooks: {animation, onError(message), requestAnimation(kind), lab: the Memorisation view's panel,
  //  straighten: the Straighten view's panel}
  constructor(state, workers, hooks) {
    this.state = state;
    this.workers = workers;
    this.hooks = hooks;
    this.tabs = [...document.querySelectorAll("[data-view]")];
    // "loss-t" | "schedule" | "sweep" | "density" | "straighten" | "memorisation": the tab shown, at first the one the markup selects.
    this.view = this.tabs.find((tab) => tab.getAttribute("aria-selected") === "true").dataset.view;
    this.views = { "loss-t": new LossByTView(), schedule: new ScheduleView(), sweep: new SweepView(SWEEP_SAMPLES),
      density: new DensityView() };
    this.inFlight = new Set();     // request kinds waiting for an answer
    this.lastAsked = new Map();    // kind -> time
    for (const tab of this.tabs) {
      tab.onclick = () => this.open(tab.dataset.view);
      tab.addEventListener("keydown", (e) => this.tabKey(e, tab));
    }
    $("overlay-field").onchange = (e) => { state.overlay.mode = e.target.value; this.overlaysChanged(); };
    $("overlay-density").onchange = (e) => { state.overlay.densityOn = e.target.checked; this.overlaysChanged(); };
    $("run-sweep").onclick = () => this.runSweep();
    $("run-density").onclick = () => this.runDensity();
    window.addEventListener("resize", () => { for (const v of Object.values(this.views)) if (v.draw) v.draw(); });
  }

  tabKey(event, tab) {
    const i = this.tabs.indexOf(tab), n = this.tabs.length;
    const to = { ArrowRight: (i + 1) % n, ArrowLeft: (i + n - 1) % n, Home: 0, End: n - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    this.tabs[to].focus();
    this.open(this.tabs[to].dataset.view);
  }

  open(view) {
    this.view = view;
    for (const tab of this.tabs) {
      tab.setAttribute("aria-selected", String(tab.dataset.view === view));
      tab.tabIndex = tab.dataset.view === view ? 0 : -1;
    }
    for (const tab of this.tabs) $(tab.getAttribute("aria-controls")).hidden = tab.dataset.view !== this.view;
    if (this.view === "memorisation") this.hooks.lab.shown();
    else this.hooks.lab.hidden();
    if (this.view === "straighten") this.hooks.straighten.shown();
    else this.hooks.straighten.hidden();
    if (this.view === "loss-t") this.refreshLoss(true);
    if (this.view === "schedule") this.views.schedule.draw();
    if (this.view === "density") this.views.density.draw();
  }

  // A new model (configured or loaded) or new data: everything is stale.
  onModel() {
    const s = this.state;
    s.overlay.field = s.overlay.density = null;
    s.inspect.lossByT = s.inspect.sweep = s.inspect.density = null;
    this.views.density.reset();
    $("sweep-table").replaceChildren();
    $("sweep-note").textContent = "";
    const objective = s.settings.objective;
    this.ask("schedule", {}, ({ result }) => { s.inspect.schedule = result; this.views.schedule.show(result, objective); });
    if (this.view === "loss-t") this.refreshLoss(true);
    this.refreshOverlays(false);
    this.hooks.lab.onModel();
    this.hooks.straighten.onModel();
  }

  // A new preview: newer weights in the preview worker.
  onPreview() {
    if (this.view === "loss-t") this.refreshLoss(false);
    this.hooks.lab.onPreview();
    this.hooks.straighten.onPreview();
    this.refreshOverlays(true);
  }

  onFrame() { this.refreshOverlays(false); }

  overlaysChanged() {
    const o = this.state.overlay;
    const on = o.mode !== "off" || o.densityOn;
    $("overlay-explain").hidden = !on;
    if (on && !this.state.anim) this.hooks.requestAnimation(this.state.points.length ? "forward" : "reverse");
    this.refreshOverlays(false);
    this.hooks.animation.draw();
  }

  // ---- requests ----
  // Asks unless the same kind is in flight (or, without `force`, was asked
  // within REFRESH_MS); -> a promise that settles once the answer is handled
  // or the request failed, or null when nothing was asked.
  ask(kind, args, onAnswer, { force = true } = {}) {
    const now = performance.now();
    if (this.inFlight.has(kind)) return null;
    if (!force && now - (this.lastAsked.get(kind) || 0) < REFRESH_MS) return null;
    if (!this.state.modelReady) return null;
    this.inFlight.add(kind);
    this.lastAsked.set(kind, now);
    const generation = this.state.modelGeneration;
    return this.workers.inspect(kind, args, generation).then((answer) => {
      this.inFlight.delete(kind);
      if (answer.generation === generation && generation === this.state.modelGeneration) onAnswer(answer);
    }, (e) => {
      this.inFlight.delete(kind);
      if (generation === this.state.modelGeneration && !/no training data|model is gone/.test(e.message)) this.hooks.onError(e.message);
    });
  }

  refreshLoss(force) {
    if (!this.state.points.length) { $("loss-t-note").textContent = "The loss by t needs data: pick a preset or draw."; return; }
    this.ask("lossByT", { pointsPerT: LOSS_POINTS_PER_T }, ({ result, step }) => {
      this.state.inspect.lossByT = { ...result, step };
      if (this.view === "loss-t") this.views["loss-t"].show({ ...result, step }, this.state.settings.objective === "flow");
    }, { force });
  }

  // Asks for the overlays at the shown t when they are of another t, and for
  // the field again with newer weights (at most every REFRESH_MS). Each
  // answer checks again: the slider may have moved while it was computed.
  refreshOverlays(newWeights) {
    const o = this.state.overlay;
    const t = this.hooks.animation.timestep();
    if (t === null || !this.state.points.length) return;
    const fieldStale = !o.field || o.field.t !== t;
    if (o.mode !== "off" && (fieldStale || newWeights)) {
      this.ask("field", { t, xy: gridPoints(FIELD_GRID) }, ({ result, step }) => {
        o.field = { t, step, ...result };
        this.hooks.animation.draw();
        this.refreshOverlays(false);
      }, { force: fieldStale });
    }
    if (o.densityOn && (!o.density || o.density.t !== t)) {
      this.ask("density", { t, xy: gridPoints(DENSITY_GRID) }, ({ result }) => {
        o.density = { t, ...result };
        this.hooks.animation.draw();
        this.refreshOverlays(false);
      });
    }
  }

  runDensity() {
    const s = this.state;
    if (!s.points.length) return this.hooks.onError("The density needs data: pick a preset or draw.");
    if (s.modelClasses > 0) {
      return this.views.density.explain("The exact density is an unconditional model's: these points have classes. Pick a preset without classes or draw with one class.");
    }
    this.views.density.explain("");
    const button = $("run-density");
    button.disabled = true;
    $("density-note").textContent = "Carrying every grid point to the noise and back (about a second; the live view waits)…";
    let answered = false;
    // With nothing held out, a preset's fresh points score it; a drawing has only its own.
    const fresh = s.settings.dataset === "custom" ? null : { name: s.settings.dataset, seed: s.settings.seed + FRESH_SEED_OFFSET };
    const asked = this.ask("logDensity", { xy: densityGrid(), steps: DENSITY_STEPS, points: DENSITY_POINTS, fresh }, ({ result, step }) => {
      answered = true;
      s.inspect.density = { nll: result.nll, nllOn: result.nllOn, count: result.count, step };
      this.views.density.show(result, step);
    });
    // Failed (the banner says why) or outdated by a new model: the note says so instead of waiting on.
    const done = () => {
      button.disabled = false;
      if (!answered) $("density-note").textContent = "The density was not computed: press “Compute the density” again.";
    };
    if (asked) asked.finally(done);
    else done();
  }

  runSweep() {
    if (!this.state.points.length) return this.hooks.onError("Comparing samplers needs data: pick a preset or draw.");
    const button = $("run-sweep");
    button.disabled = true;
    $("sweep-note").textContent = "Sampling with every sampler at 1 to T steps, with the network and the ideal denoiser (about 10 s; the live view waits)…";
    const asked = this.ask("sweep", { n: SWEEP_SAMPLES, clipX0: this.state.settings.clipX0 }, ({ result, step }) => {
      this.state.inspect.sweep = { rows: result.rows, straightness: result.straightness, step };
      this.views.sweep.show(result.rows, step, this.state.limits.memorisedRadius, result.straightness);
    });
    // Answered, failed or not asked: the button is back.
    if (asked) asked.finally(() => { button.disabled = false; });
    else button.disabled = false;
  }
}
