// A small line chart of {step, value} points: faint raw values under a
// strong moving average, on a log or linear scale. Its words are in the
// page: a sentence while it has no data, and its numbers as a table (the
// moving average at a few steps) while that table is open.
import { setupCanvas } from "./canvas.js";
import { fillNumberTable, spreadIndices } from "./number_table.js";

const TABLE_ROWS = 8;
const TABLE_MS = 1000; // an open table follows training at most this often

const HISTORY_MAX = 4000;

// Appends to a history; past HISTORY_MAX points, halves the resolution in
// place and keeps the span.
export function pushHistory(history, step, value) {
  history.push({ step, value });
  if (history.length > HISTORY_MAX) {
    const merged = [];
    for (let i = 0; i + 1 < history.length; i += 2) {
      merged.push({ step: history[i + 1].step, value: (history[i].value + history[i + 1].value) / 2 });
    }
    history.splice(0, history.length, ...merged);
  }
}

export class Chart {
  // options: {log, smoothing (0..1 of the moving average), empty (the
  // element shown while there is no data), table (the element the table
  // goes in, inside a <details>), column (the values' name)}
  constructor(canvas, options) {
    this.canvas = canvas;
    this.options = options;
    this.frame = 0;
    this.data = [];
    this.tableAt = 0;
    const details = options.table.closest("details");
    details.addEventListener("toggle", () => { this.tableAt = 0; this.fillTable(); });
    this.details = details;
  }

  // The moving average the strong line draws.
  smoothed() {
    const { smoothing } = this.options;
    let average = this.data.length ? this.data[0].value : 0;
    return this.data.map((p) => (average = smoothing * average + (1 - smoothing) * p.value));
  }

  fillTable() {
    if (!this.details.open || performance.now() - this.tableAt < TABLE_MS) return;
    this.tableAt = performance.now();
    const data = this.data, average = this.smoothed();
    if (!data.length) {
      this.options.table.textContent = "No numbers yet: train the model.";
      return;
    }
    const rows = spreadIndices(data.length, TABLE_ROWS).map((i) => [data[i].step.toLocaleString(), average[i].toPrecision(3)]);
    fillNumberTable(this.options.table, ["step", this.options.column], rows,
      `${this.options.column} (moving average) at ${rows.length} steps of ${data.length} measured`);
  }

  // Redraws at the next animation frame (at most once a frame).
  update(data) {
    this.data = data;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  draw() {
    const { log } = this.options;
    const data = this.data;
    const { ctx, w, h } = setupCanvas(this.canvas);
    ctx.clearRect(0, 0, w, h);
    const pad = { l: 34, r: 6, t: 8, b: 18 };
    ctx.font = "10px system-ui, sans-serif";
    ctx.fillStyle = "#5f6779";
    this.options.empty.hidden = data.length >= 2;
    this.fillTable();
    if (data.length < 2) return;
    const f = log ? Math.log10 : (v) => v;
    const inv = log ? (v) => 10 ** v : (v) => v;
    let lo = Infinity, hi = -Infinity;
    for (const { value } of data) {
      if (Number.isFinite(value) && (!log || value > 0)) { lo = Math.min(lo, f(value)); hi = Math.max(hi, f(value)); }
    }
    if (!Number.isFinite(lo)) return;
    const margin = Math.max(0.05, (hi - lo) * 0.08);
    lo -= margin; hi += margin;
    if (!log) lo = Math.max(0, lo);
    const maxStep = data[data.length - 1].step, minStep = data[0].step;
    const X = (s) => pad.l + ((s - minStep) / Math.max(1, maxStep - minStep)) * (w - pad.l - pad.r);
    const Y = (v) => pad.t + (1 - (f(v) - lo) / (hi - lo)) * (h - pad.t - pad.b);
    const ticks = [];
    const tick = log ? 0.25 : Math.max(0.01, Number(((hi - lo) / 3).toPrecision(1)));
    for (let e = Math.ceil(lo / tick) * tick; e <= hi; e += tick) ticks.push(inv(e));
    ctx.strokeStyle = "#eceef4";
    ctx.beginPath();
    for (const v of ticks) { const y = Y(v); ctx.moveTo(pad.l, y); ctx.lineTo(w - pad.r, y); }
    ctx.stroke();
    for (const v of ticks) ctx.fillText(v.toPrecision(2), 2, Y(v) + 3);
    ctx.fillText(`step ${maxStep.toLocaleString()}`, w - pad.r - 70, h - 4);
    ctx.lineWidth = 1;
    ctx.strokeStyle = "rgba(91, 91, 214, 0.25)";
    ctx.beginPath();
    data.forEach((p, i) => (i ? ctx.lineTo(X(p.step), Y(p.value)) : ctx.moveTo(X(p.step), Y(p.value))));
    ctx.stroke();
    ctx.lineWidth = 2;
    ctx.strokeStyle = "#5b5bd6";
    ctx.beginPath();
    const average = this.smoothed();
    data.forEach((p, i) => (i ? ctx.lineTo(X(p.step), Y(average[i])) : ctx.moveTo(X(p.step), Y(average[i]))));
    ctx.stroke();
  }
}
