// The noise schedule: abar_t (how much of the data is left at t) and the
// log signal-to-noise ratio over t, with a plain warning when abar_T is far
// from 0, shown here and beside the settings that set T and the betas.
import { drawCurves } from "./plot_axes.js";
import { fillNumberTable, spreadIndices } from "./number_table.js";
import { $ } from "../app/dom.js";

const TABLE_ROWS = 11; // timesteps in the table: t = 0, T/10, ..., T-1

// Sampling starts from N(0, I); a forward process that ends with more than
// this share of the data's scale left (sqrt(abar_T)) never got there.
const FAR_FROM_NOISE = 0.05;

export function scheduleWarning(alphasCumprod) {
  const end = alphasCumprod[alphasCumprod.length - 1];
  return end > FAR_FROM_NOISE
    ? `ᾱ at T is ${end.toFixed(2)}: the forward process never reaches noise, so sampling starts from noise the model never saw and the samples come out squashed. Raise beta end or T (the best recipe ends below ᾱ_T = 0.001).`
    : "";
}

export class ScheduleView {
  constructor() { this.last = null; } // {alphasCumprod, logSnr} as last shown

  show({ alphasCumprod }, objective = "eps") {
    const warning = objective === "flow" ? "" : scheduleWarning(alphasCumprod);
    $("schedule-flow").hidden = objective !== "flow";
    for (const id of ["schedule-warning", "schedule-view-warning"]) {
      const el = $(id);
      if (!el) continue;
      el.textContent = warning;
      el.hidden = !warning;
    }
    $("schedule-note").textContent = `ᾱ goes from ${alphasCumprod[0].toFixed(4)} at t = 0 to ${alphasCumprod[alphasCumprod.length - 1].toExponential(1)} at t = ${alphasCumprod.length - 1}.`;
    const logSnr = Float32Array.from(alphasCumprod, (a) => Math.log(a / (1 - a)));
    this.last = { alphasCumprod, logSnr };
    const rows = spreadIndices(alphasCumprod.length, TABLE_ROWS).map((t) => [String(t), alphasCumprod[t].toPrecision(3), logSnr[t].toFixed(2)]);
    fillNumberTable($("schedule-table"), ["t", "ᾱ", "log SNR"], rows, `at ${rows.length} of ${alphasCumprod.length} timesteps`);
    this.draw();
  }

  draw() {
    if (!this.last) return;
    drawCurves($("schedule-canvas"), [{ values: this.last.alphasCumprod, color: "#4f46e5" }],
      { min: 0, max: 1, right: { values: this.last.logSnr, color: "#f08c2e", dash: [5, 4] } });
  }
}
