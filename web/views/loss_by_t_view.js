// Loss by timestep: the network's mean squared noise error at each t beside
// the ideal denoiser's, on the same noised training points. The ideal curve
// is the loss's floor (what no network can remove); the gap is what the
// model still has to learn, and where in t.
import { drawCurves } from "./plot_axes.js";
import { fillNumberTable, spreadIndices } from "./number_table.js";
import { $ } from "../app/dom.js";

const TABLE_ROWS = 11; // timesteps in the table: t = 0, T/10, ..., T-1


export class LossByTView {
  constructor() { this.last = null; }

  // flow: the T values are at t = (i + 1/2) / T in [0, 1], not at timesteps.
  show({ network, ideal, step }, flow = false) {
    this.last = { network, ideal, step, flow };
    this.draw();
    let gap = 0, worst = 0;
    for (let t = 0; t < network.length; t++) {
      const d = network[t] - ideal[t];
      gap += d / network.length;
      if (d > network[worst] - ideal[worst]) worst = t;
    }
    const tOf = (i) => (flow ? ((i + 0.5) / network.length).toFixed(2) : String(i));
    $("loss-t-note").textContent = `At step ${step.toLocaleString()}: the network is on average ${gap.toFixed(3)} above the floor; most at t = ${tOf(worst)}.`;
    const rows = spreadIndices(network.length, TABLE_ROWS).map((i) => [tOf(i), network[i].toPrecision(3), ideal[i].toPrecision(3)]);
    fillNumberTable($("loss-t-table"), ["t", "network", "ideal denoiser"], rows,
      `the loss at ${rows.length} of ${network.length} timesteps, weights of step ${step.toLocaleString()}`);
  }

  draw() {
    if (!this.last) return;
    drawCurves($("loss-t-canvas"), [
      { values: this.last.ideal, color: "#9aa3b5", dash: [5, 4], label: "ideal" },
      { values: this.last.network, color: "#4f46e5", label: "network" },
    ], { log: true, xEnd: this.last.flow ? "1" : null });
  }
}
