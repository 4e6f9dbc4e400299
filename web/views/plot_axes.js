// Curves over t on a canvas with axes: what the inspect views (loss by t,
// schedule) draw with. Pure drawing: series in, pixels out.
import { setupCanvas } from "./canvas.js";

// series: [{values, color, dash, label}]; options: {log, min, max, right: series on a second axis,
// xLabel, xStart and xEnd: the texts of the first and last x (default: 0 and the last index),
// xCount: the x positions (default: the longest series'; more leave room for curves still growing)}
export function drawCurves(canvas, series, { log = false, min, max, right = null, xLabel = "t", xStart = "0", xEnd = null,
  xCount = 0 } = {}) {
  const { ctx, w, h } = setupCanvas(canvas);
  ctx.clearRect(0, 0, w, h);
  const pad = { l: 44, r: right ? 44 : 12, t: 10, b: 26 };
  const all = series.flatMap((s) => [...s.values]).filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (!all.length) return;
  const tf = log ? Math.log10 : (v) => v;
  let lo = min ?? Math.min(...all), hi = max ?? Math.max(...all);
  if (log) { lo = Math.max(lo, 1e-6); }
  let a = tf(lo), b = tf(hi);
  if (b - a < 1e-9) { a -= 0.5; b += 0.5; }
  const n = Math.max(xCount, ...series.map((s) => s.values.length));
  const X = (i) => pad.l + (n > 1 ? (i / (n - 1)) * (w - pad.l - pad.r) : 0);
  const Y = (v) => pad.t + (1 - (tf(v) - a) / (b - a)) * (h - pad.t - pad.b);
  ctx.strokeStyle = "#d9dce5";
  ctx.fillStyle = "#6b7280";
  ctx.font = "11px system-ui, sans-serif";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(pad.l, pad.t); ctx.lineTo(pad.l, h - pad.b); ctx.lineTo(w - pad.r, h - pad.b);
  ctx.stroke();
  // A log axis labels its powers of ten, or its ends when it spans none.
  const powers = log && Math.ceil(a) <= Math.floor(b) ? [...new Set([Math.ceil(a), Math.floor(b)])].map((e) => 10 ** e) : [];
  const ticks = log ? (powers.length ? powers : [10 ** a, 10 ** b]) : [lo, (lo + hi) / 2, hi];
  for (const v of ticks) ctx.fillText(formatTick(v), 2, Y(v) + 4);
  ctx.fillText(xStart, pad.l - 3, h - 8);
  const end = `${xLabel} = ${xEnd ?? n - 1}`;
  ctx.fillText(end, w - pad.r - ctx.measureText(end).width, h - 8);
  for (const s of series) line(ctx, s, X, Y);
  if (right) {
    const values = [...right.values].filter(Number.isFinite);
    const rlo = Math.min(...values), rhi = Math.max(...values);
    const RY = (v) => pad.t + (1 - (v - rlo) / (rhi - rlo || 1)) * (h - pad.t - pad.b);
    line(ctx, right, X, RY);
    ctx.fillStyle = right.color;
    ctx.fillText(formatTick(rhi), w - pad.r + 4, pad.t + 8);
    ctx.fillText(formatTick(rlo), w - pad.r + 4, h - pad.b);
  }
}

function line(ctx, s, X, Y) {
  ctx.strokeStyle = s.color;
  ctx.lineWidth = 2;
  ctx.setLineDash(s.dash || []);
  ctx.beginPath();
  s.values.forEach((v, i) => (i ? ctx.lineTo(X(i), Y(v)) : ctx.moveTo(X(i), Y(v))));
  ctx.stroke();
  ctx.setLineDash([]);
}

const formatTick = (v) => (Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(0) : String(+v.toFixed(2)));
