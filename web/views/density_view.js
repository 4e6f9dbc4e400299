// The model's exact density next to the data's: an unconditional model's
// log p(x) on a grid (the change of variables along its flow or its
// probability-flow ODE, model.logDensity in the preview worker) beside the data's q(x_t) at a small t, the same
// heatmap for both, and the mean negative log-likelihood of held-out points
// in nats: what no diffusion playground shows.
import { drawDensity, gridPoints, DENSITY_GRID } from "./field_overlay.js";
import { drawGrid, setupCanvas } from "./canvas.js";
import { $ } from "../app/dom.js";

// The grid both heatmaps are computed on (fixed: made once).
const GRID = gridPoints(DENSITY_GRID);
export const densityGrid = () => GRID;

export class DensityView {
  constructor() { this.last = null; }

  // A new model: no density, no note, no warning.
  reset() {
    this.last = null;
    this.draw();
    $("density-note").textContent = "";
    this.explain("");
  }

  // {model, data, nll, nllOn, count} of the weights of `step`.
  show(result, step) {
    this.last = result;
    this.draw();
    const peak = (values) => {
      let best = 0;
      for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
      return `(${GRID[2 * best].toFixed(1)}, ${GRID[2 * best + 1].toFixed(1)})`;
    };
    $("density-note").textContent = `Weights of step ${step.toLocaleString()}: the mean negative log-likelihood of ${result.count.toLocaleString()} ${result.nllOn} points is ${result.nll.toFixed(3)} nats (lower is better). The model is densest near ${peak(result.model)}, the data near ${peak(result.data)}.`;
  }

  // Why there is nothing to show, or "" to show the last result.
  explain(text) {
    $("density-unsupported").textContent = text;
    $("density-unsupported").hidden = !text;
  }

  draw() {
    for (const [id, values] of [["density-model-canvas", this.last?.model], ["density-data-canvas", this.last?.data]]) {
      const { ctx, w } = setupCanvas($(id));
      drawGrid(ctx, w);
      if (values) drawDensity(ctx, w, values);
    }
  }
}
