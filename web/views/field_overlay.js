// What the animation canvas can show under its points at the frame's t:
// the exact marginal q(x_t) of the data as a density heatmap, and the
// denoising field (the direction -eps a point is pushed, as the network,
// the ideal denoiser, or their difference see it) as arrows on a grid.
import { VIEW_RANGE } from "../shared/settings.js";
import { toPixel } from "./canvas.js";

export const FIELD_GRID = 19;    // arrows a side
export const DENSITY_GRID = 48;  // heatmap cells a side

// Cell centres of a side x side grid over the view: interleaved x, y.
export function gridPoints(side) {
  const xy = new Float32Array(2 * side * side);
  const cell = (2 * VIEW_RANGE) / side;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const i = r * side + c;
      xy[2 * i] = -VIEW_RANGE + (c + 0.5) * cell;
      xy[2 * i + 1] = VIEW_RANGE - (r + 0.5) * cell;
    }
  }
  return xy;
}

// The arrows of a mode: -eps of the network or the ideal denoiser, or
// network - ideal (the network's error, drawn as -error so that it points
// where the network pushes too far).
export function fieldVectors(mode, { network, ideal }) {
  const out = new Float32Array(network.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = mode === "network" ? -network[i] : mode === "ideal" ? -ideal[i] : ideal[i] - network[i];
  }
  return out;
}

export function drawDensity(ctx, size, logDensity) {
  const side = Math.round(Math.sqrt(logDensity.length));
  let top = -Infinity;
  for (const v of logDensity) top = Math.max(top, v);
  const image = new ImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const p = Math.exp(logDensity[i] - top); // 1 at the densest cell
    image.data[4 * i] = 79; image.data[4 * i + 1] = 70; image.data[4 * i + 2] = 229;
    image.data[4 * i + 3] = Math.round(200 * Math.sqrt(p));
  }
  const cells = new OffscreenCanvas(side, side);
  cells.getContext("2d").putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(cells, 0, 0, size, size);
}

export function drawField(ctx, size, vectors, color) {
  const side = Math.round(Math.sqrt(vectors.length / 2));
  const points = gridPoints(side);
  let longest = 0;
  for (let i = 0; i < side * side; i++) longest = Math.max(longest, Math.hypot(vectors[2 * i], vectors[2 * i + 1]));
  if (!(longest > 0)) return;
  const cellPx = size / side;
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 1.2;
  for (let i = 0; i < side * side; i++) {
    const [x, y] = toPixel(size, points[2 * i], points[2 * i + 1]);
    const dx = vectors[2 * i] / longest, dy = -vectors[2 * i + 1] / longest; // screen y points down
    const len = 0.9 * cellPx;
    const ex = x + dx * len, ey = y + dy * len;
    ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(ex, ey); ctx.stroke();
    const angle = Math.atan2(ey - y, ex - x), head = Math.min(5, 0.4 * len * Math.hypot(dx, dy));
    ctx.beginPath();
    ctx.moveTo(ex, ey);
    ctx.lineTo(ex - head * Math.cos(angle - 0.5), ey - head * Math.sin(angle - 0.5));
    ctx.lineTo(ex - head * Math.cos(angle + 0.5), ey - head * Math.sin(angle + 0.5));
    ctx.fill();
  }
}
