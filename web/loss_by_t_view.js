// Loss by timestep: the network's mean squared noise error at each t beside
// the ideal denoiser's, on the same noised training points. The ideal curve
// is the loss's floor (what no network can remove); the gap is what the
// model still has to learn, and where in t.
import { drawCurves } from "./plot_axes.js";

const $ = (id) => document.getElementById(id);

export class LossByTView {
  constructor() { this.last = null; }

  show({ network, ideal, step }) {
    this.last = { network, ideal, step };
    this.draw();
    let gap = 0, worst = 0;
    for (let t = 0; t < network.length; t++) {
      const d = network[t] - ideal[t];
      gap += d / network.length;
      if (d > network[worst] - ideal[worst]) worst = t;
    }
    $("loss-t-note").textContent = `At step ${step.toLocaleString()}: the network is on average ${gap.toFixed(3)} above the floor; most at t = ${worst}.`;
  }

  draw() {
    if (!this.last) return;
    drawCurves($("loss-t-canvas"), [
      { values: this.last.ideal, color: "#9aa3b5", dash: [5, 4], label: "ideal" },
      { values: this.last.network, color: "#4f46e5", label: "network" },
    ], { log: true });
  }
}
