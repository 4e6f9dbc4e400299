// The Straighten view's action: a flow model's paths drawn (before), the
// model straightened by a reflow in the training worker (a new model with
// its weights trains on its own ODE's (noise, solution) pairs), training
// started on them, and the new model's paths from the same noise redrawn as
// it trains (after). A new model that is not the reflow's clears both.
import { StraightenView } from "../views/straighten_view.js";
import { $ } from "../app/dom.js";

const REFLOW_PAIRS = 2000;       // pairs the training worker solves (CLI reflow: 10,000)
const REFLOW_SOLVER_STEPS = 40;  // Heun steps of each pair's solve (80 network calls)
const REFLOW_SEED = 11;
const PATHS_DRAWN = 48;
const PATHS_SCORED = 500;        // paths of the straightness, and one-step samples of the W2
const PATHS_SEED = 5;            // the same noise before and after
const ANNOUNCED_AFTER_STEPS = 1000; // the note is rewritten each second: a screen reader hears it once, here

export class StraightenPanel {
  // hooks: {ask(kind, args, onAnswer, options) -> Promise | null (the inspector's requests), pause(), play(),
  //  reflow(pairs, steps, seed) -> Promise<answer> (model_lifecycle.js), announce(sentence), onError(message)}
  constructor(state, hooks) {
    this.state = state;
    this.hooks = hooks;
    this.view = new StraightenView(() => state.points);
    this.visible = false;
    this.reflowing = false;        // between the request and the new model's arrival
    this.reflowGeneration = null;  // the reflow's model, whose paths are "after"
    this.announced = false;        // the after side's numbers were said
    $("straighten-pairs").textContent = REFLOW_PAIRS.toLocaleString();
    $("run-straighten").onclick = () => this.run();
  }

  shown() {
    this.visible = true;
    this.view.draw();
    this.refreshAfter(true);
  }

  hidden() { this.visible = false; }

  // A new model: the reflow's own, or another that makes the paths stale.
  onModel() {
    if (this.reflowing) return;
    this.reflowGeneration = null;
    this.state.inspect.straighten = null;
    this.view.reset();
    this.view.explain("");
  }

  // Newer weights in the preview worker: the reflowed model's paths again (at most once a second).
  onPreview() { this.refreshAfter(false); }

  async run() {
    const s = this.state;
    if (!s.points.length) return this.hooks.onError("Straightening needs data: pick a preset or draw.");
    if (s.settings.objective !== "flow") {
      return this.view.explain("Only a flow model's paths can be straightened: set the objective to flow (Model → objective).");
    }
    this.view.explain("");
    const button = $("run-straighten");
    button.disabled = true;
    try {
      this.hooks.pause();
      $("straighten-note").textContent = "Drawing the model's paths…";
      const before = await this.paths(true);
      if (!before) {
        $("straighten-note").textContent = "The paths were not drawn: press “Straighten the paths” again.";
        return;
      }
      this.view.show("before", before.result, before.step);
      this.view.waiting(REFLOW_PAIRS, `Solving ${REFLOW_PAIRS.toLocaleString()} paths of this model with Heun over ${REFLOW_SOLVER_STEPS} steps, for the pairs…`);
      this.reflowing = true;
      let answer;
      try {
        answer = await this.hooks.reflow(REFLOW_PAIRS, REFLOW_SOLVER_STEPS, REFLOW_SEED);
      } finally {
        this.reflowing = false;
      }
      this.reflowGeneration = answer.generation;
      this.announced = false;
      s.inspect.straighten = { before: { step: before.step, straightness: before.result.straightness, oneStepW2: before.result.oneStepW2 },
        after: null, pairs: answer.pairs, solveMs: answer.solveMs };
      this.view.waiting(answer.pairs, `A copy of it trains on ${answer.pairs.toLocaleString()} pairs (solved in ${(answer.solveMs / 1000).toFixed(1)} s); its paths appear under After.`);
      this.hooks.play();
      this.hooks.announce(`Straightening: a copy of the model trains on ${answer.pairs.toLocaleString()} pairs of noise and where its paths took it. The Straighten view redraws its paths as it trains.`);
    } catch (e) {
      this.hooks.onError(e.message);
    } finally {
      button.disabled = false;
    }
  }

  // The reflowed model's paths, when its view is open.
  refreshAfter(force) {
    const s = this.state;
    if (!this.visible || this.reflowGeneration === null || this.reflowGeneration !== s.modelGeneration || !s.inspect.straighten) return;
    this.paths(force).then((answer) => {
      if (!answer || this.reflowGeneration !== s.modelGeneration || !s.inspect.straighten) return;
      const { result, step } = answer;
      s.inspect.straighten.after = { step, straightness: result.straightness, oneStepW2: result.oneStepW2 };
      this.view.show("after", result, step);
      if (!this.announced && step >= ANNOUNCED_AFTER_STEPS) {
        this.announced = true;
        this.hooks.announce($("straighten-note").textContent);
      }
    });
  }

  // -> {result, step} of the model's paths, or null if not asked or failed (the banner says why).
  async paths(force) {
    let answer = null;
    const asked = this.hooks.ask("paths", { n: PATHS_DRAWN, seed: PATHS_SEED, scored: PATHS_SCORED }, (a) => { answer = a; }, { force });
    if (asked) await asked;
    return answer;
  }
}
