// Drawing helpers shared by the views: a crisp 2D context at the screen's
// pixel ratio, the grid of the [-6, 6]^2 frame, and points in it.
import { VIEW_RANGE } from "../shared/settings.js";
import { CLASS_COLORS } from "../shared/classes.js";

export function setupCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const r = canvas.getBoundingClientRect();
  const w = Math.max(1, Math.round(r.width * ratio)), h = Math.max(1, Math.round(r.height * ratio));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, w: r.width, h: r.height };
}

export function drawGrid(ctx, size) {
  ctx.clearRect(0, 0, size, size);
  ctx.strokeStyle = "#eceef4";
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let g = -VIEW_RANGE + 2; g < VIEW_RANGE; g += 2) {
    const p = Math.round(((g + VIEW_RANGE) / (2 * VIEW_RANGE)) * size) + 0.5;
    ctx.moveTo(p, 0); ctx.lineTo(p, size);
    ctx.moveTo(0, p); ctx.lineTo(size, p);
  }
  ctx.stroke();
}

// Data coordinates -> canvas pixels for a square canvas of `size`.
export const toPixel = (size, x, y) => {
  const scale = size / (2 * VIEW_RANGE);
  return [(x + VIEW_RANGE) * scale, (VIEW_RANGE - y) * scale];
};

export function drawPoints(ctx, size, xy, color, radius, alpha, count = xy.length / 2) {
  const scale = size / (2 * VIEW_RANGE);
  ctx.fillStyle = color;
  ctx.globalAlpha = alpha;
  const d = radius * 2;
  for (let i = 0; i < count; i++) {
    const px = (xy[2 * i] + VIEW_RANGE) * scale, py = (VIEW_RANGE - xy[2 * i + 1]) * scale;
    ctx.fillRect(px - radius, py - radius, d, d);
  }
  ctx.globalAlpha = 1;
}

// Points in the colours of their classes (labels: one per point), one pass per class.
export function drawPointsByClass(ctx, size, xy, labels, radius, alpha, count = xy.length / 2) {
  const scale = size / (2 * VIEW_RANGE);
  const d = radius * 2;
  ctx.globalAlpha = alpha;
  for (let k = 0; k < CLASS_COLORS.length; k++) {
    ctx.fillStyle = CLASS_COLORS[k];
    for (let i = 0; i < count; i++) {
      if (labels[i] !== k) continue;
      const px = (xy[2 * i] + VIEW_RANGE) * scale, py = (VIEW_RANGE - xy[2 * i + 1]) * scale;
      ctx.fillRect(px - radius, py - radius, d, d);
    }
  }
  ctx.globalAlpha = 1;
}
