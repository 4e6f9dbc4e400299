// A small line chart of {step, value} points: faint raw values under a
// strong moving average, on a log or linear scale.
import { setupCanvas } from "./canvas.js";

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
  // options: {log, smoothing (0..1 of the moving average), empty (text while there is no data)}
  constructor(canvas, options) {
    this.canvas = canvas;
    this.options = options;
    this.frame = 0;
    this.data = [];
  }

  // Redraws at the next animation frame (at most once a frame).
  update(data) {
    this.data = data;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  draw() {
    const { log, smoothing, empty } = this.options;
    const data = this.data;
    const { ctx, w, h } = setupCanvas(this.canvas);
    ctx.clearRect(0, 0, w, h);
    const pad = { l: 34, r: 6, t: 8, b: 18 };
    ctx.font = "10px system-ui, sans-serif";
    ctx.fillStyle = "#6b7385";
    if (data.length < 2) {
      ctx.fillText(empty, pad.l, h / 2);
      return;
    }
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
    let average = data[0].value;
    data.forEach((p, i) => {
      average = smoothing * average + (1 - smoothing) * p.value;
      i ? ctx.lineTo(X(p.step), Y(average)) : ctx.moveTo(X(p.step), Y(average));
    });
    ctx.stroke();
  }
}
