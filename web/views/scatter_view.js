// The main canvas: the training data and the live preview's samples (in
// their classes' colours when the points have classes), and a caption
// saying which weights, which sampler and which class drew them.
import { setupCanvas, drawGrid, drawPoints, drawPointsByClass, toPixel } from "./canvas.js";
import { VIEW_RANGE } from "../shared/settings.js";
import { samplerRow } from "../shared/sampler_table.js";
import { CLASS_NAMES, numClassesOf } from "../shared/classes.js";
import { $ } from "../app/dom.js";


export class ScatterView {
  constructor(state) {
    this.state = state;
    this.canvas = $("main-canvas");
    this.frame = 0;
    // The data change rarely and are many: drawn once into a layer of their
    // own, so a new preview redraws only its samples over a copy of it.
    this.dataLayer = document.createElement("canvas");
    this.dataKey = null;
    $("show-data").addEventListener("change", () => this.update());
  }

  get showData() { return $("show-data").checked; }
  get showSamples() { return $("show-samples").checked; }

  // Redraws at the next animation frame (at most once a frame).
  update() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  draw() {
    const { points, labels, preview, trainingSubset } = this.state;
    const { ctx, w } = setupCanvas(this.canvas);
    const layer = this.dataLayer;
    const key = `${this.canvas.width}x${this.canvas.height}:${this.showData}`;
    if (this.dataKey !== key || this.dataPoints !== points || this.dataLabels !== labels || this.dataSubset !== trainingSubset) {
      layer.width = this.canvas.width;
      layer.height = this.canvas.height;
      const lctx = layer.getContext("2d");
      lctx.setTransform(layer.width / w, 0, 0, layer.width / w, 0, 0);
      drawGrid(lctx, w);
      const n = points.length / 2;
      const radius = n > 20000 ? 0.8 : 1.4, alpha = n > 3000 ? 0.3 : 0.6;
      // A model on a subset: the held-out points faint, the training points dark over them.
      const subset = trainingSubset && trainingSubset.count === n ? trainingSubset.indices : null;
      if (this.showData && n) {
        const faint = subset ? 0.35 : 1;
        if (numClassesOf(labels) > 0) drawPointsByClass(lctx, w, points, labels, radius, 0.6 * alpha * faint);
        else drawPoints(lctx, w, points, "#9aa5b8", radius, alpha * faint);
        if (subset) drawTrainingPoints(lctx, w, points, subset);
      }
      this.dataKey = key;
      this.dataPoints = points; // every edit makes new arrays
      this.dataLabels = labels;
      this.dataSubset = trainingSubset;
    }
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.drawImage(layer, 0, 0);
    ctx.restore();
    if (this.showSamples && preview) {
      if (preview.labels && preview.labels.length) drawPointsByClass(ctx, w, preview.points, preview.labels, 1.9, 0.95);
      else drawPoints(ctx, w, preview.points, "#4f46e5", 1.7, 0.9);
    }
    this.showOutside();
    if (this.state.cursor) this.drawCursor(ctx, w, this.state.cursor);
    this.drawCaption();
  }

  // An untrained (or diverging) model scatters samples far out: say so, in
  // words under the canvas, rather than show an empty plot.
  showOutside() {
    const preview = this.state.preview, note = $("samples-note");
    let outside = 0, total = 0;
    if (this.showSamples && preview) {
      total = preview.points.length / 2;
      for (let i = 0; i < preview.points.length; i += 2) {
        if (!(Math.abs(preview.points[i]) <= VIEW_RANGE && Math.abs(preview.points[i + 1]) <= VIEW_RANGE)) outside++;
      }
    }
    note.hidden = !(outside > 0.1 * total);
    if (!note.hidden) note.textContent = `${outside} of ${total} samples lie outside the view${preview.step ? "" : " (the model is untrained)"}.`;
  }

  // The keyboard's cursor (panels/canvas_keys.js): the brush's circle and a cross.
  drawCursor(ctx, w, { x, y, radius }) {
    const [px, py] = toPixel(w, x, y);
    const pr = (radius / (2 * VIEW_RANGE)) * w;
    ctx.save();
    for (const [color, width] of [["#ffffff", 4], ["#1d2230", 2]]) {
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.arc(px, py, pr, 0, 2 * Math.PI);
      ctx.moveTo(px - 7, py); ctx.lineTo(px + 7, py);
      ctx.moveTo(px, py - 7); ctx.lineTo(px, py + 7);
      ctx.stroke();
    }
    ctx.restore();
  }

  drawCaption() {
    const { preview, step } = this.state;
    const caption = $("preview-caption");
    if (!this.showSamples) {
      caption.textContent = "Samples hidden: the live view is off.";
      return;
    }
    if (!preview) {
      caption.textContent = "";
      return;
    }
    const { plan } = preview;
    const row = samplerRow(plan.sampler);
    const how = row.takesSteps ? `${row.title}, ${plan.steps} steps` : `${row.title}, all ${plan.steps} steps`;
    const behind = step - preview.step;
    const classes = preview.guidance === null || preview.guidance === undefined ? ""
      : ` · ${preview.classLabel >= 0 ? `class ${preview.classLabel} (${CLASS_NAMES[preview.classLabel]})` : "every class in its share"}, guidance ${preview.guidance}`;
    caption.textContent = `${preview.points.length / 2} samples of the weights at step ${preview.step.toLocaleString()}` +
      `${behind > 0 ? ` (${behind.toLocaleString()} steps ago)` : ""} · ${how}${classes}` +
      (plan.denoiser === "ideal" ? " · the ideal denoiser of your data" : "") +
      (plan.fast ? " · a fast stand-in while training; the chosen sampler draws when you pause" : "") +
      (preview.memorised !== null && preview.memorised !== undefined
        ? ` · ${Math.round(100 * preview.memorised)}% on a training point` : "");
  }
}

// The points a model on a subset trains on: dark rings, visible over the samples' colour.
function drawTrainingPoints(ctx, size, points, indices) {
  ctx.strokeStyle = "#1f2430";
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  const r = indices.length > 2000 ? 1.5 : 3;
  for (const i of indices) {
    const [px, py] = toPixel(size, points[2 * i], points[2 * i + 1]);
    ctx.moveTo(px + r, py);
    ctx.arc(px, py, r, 0, 2 * Math.PI);
  }
  ctx.stroke();
}
