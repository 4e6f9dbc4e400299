// The Straighten view's pictures and words: a flow model's ODE paths from
// the same noise before and after a reflow (each path a line from its noise,
// a grey dot, to its sample), over the data, with their straightness and the
// W2 of one Euler step's samples.
import { drawGrid, drawPoints, setupCanvas, toPixel } from "./canvas.js";
import { $ } from "../app/dom.js";

const PATH_COLOR = "#4f46e5";
const NOISE_COLOR = "#6b7280";
const DATA_COLOR = "#c9cfdb";

// What one side's numbers say (a straightened model's straightness is far below 0.001: two digits of it).
const digits = (v) => (v < 0.01 ? v.toPrecision(2) : v.toFixed(3));
const measures = (r) => `straightness ${digits(r.straightness)}, one Euler step's W2 to the data ${r.oneStepW2.toFixed(3)}`;

export class StraightenView {
  // points(): the user's points, drawn faintly under the paths.
  constructor(points) {
    this.points = points;
    this.reset();
  }

  // No paths: a new model that is no reflow's.
  reset() {
    this.before = this.after = null;
    this.pairs = 0;
    this.status = "";   // what happens until the after side has paths
    $("straighten-before-caption").textContent = "Before: press the button to draw the model's paths and straighten them.";
    $("straighten-after-caption").textContent = "After: the straightened model's paths from the same noise, as it trains.";
    $("straighten-note").textContent = "";
    this.draw();
  }

  // side: "before" or "after"; paths {frames, numFrames, straightness, oneStepW2} of the weights of `step`.
  show(side, paths, step) {
    this[side] = { ...paths, step };
    const b = this.before, a = this.after;
    $("straighten-before-caption").textContent = `Before: the model at step ${b.step.toLocaleString()}.`;
    if (a) $("straighten-after-caption").textContent = `After: ${a.step.toLocaleString()} steps on the pairs.`;
    const words = [`Before: ${measures(b)}.`];
    if (!a && this.status) words.push(this.status);
    if (a) {
      words.push(`After ${a.step.toLocaleString()} steps on ${this.pairs.toLocaleString()} pairs: ${measures(a)}.`);
      if (a.oneStepW2 < b.oneStepW2) words.push(`One Euler step now lands ${(b.oneStepW2 / a.oneStepW2).toFixed(1)} times nearer the data.`);
    }
    $("straighten-note").textContent = words.join(" ");
    this.draw();
  }

  // The reflow's progress until the after side has paths: its pairs and a sentence.
  waiting(pairs, text) {
    this.pairs = pairs;
    this.status = text;
    this.after = null;
    if (this.before) this.show("before", this.before, this.before.step);
    else $("straighten-note").textContent = text;
  }

  // Why there is nothing to show, or "" to show the paths.
  explain(text) {
    $("straighten-unsupported").textContent = text;
    $("straighten-unsupported").hidden = !text;
  }

  draw() {
    for (const [id, paths] of [["straighten-before-canvas", this.before], ["straighten-after-canvas", this.after]]) {
      const canvas = $(id);
      if (canvas.getBoundingClientRect().width === 0) continue; // hidden: drawn when shown
      const { ctx, w } = setupCanvas(canvas);
      drawGrid(ctx, w);
      const points = this.points();
      drawPoints(ctx, w, points, DATA_COLOR, 1, 0.6);
      if (paths) drawPaths(ctx, w, paths);
    }
  }
}

// Each path a line from its noise (frame 0, a grey dot) to its sample (the last frame, a dot).
function drawPaths(ctx, size, { frames, numFrames }) {
  const n = frames.length / (2 * numFrames);
  const at = (f, i) => toPixel(size, frames[2 * (f * n + i)], frames[2 * (f * n + i) + 1]);
  ctx.lineWidth = 1.2;
  ctx.strokeStyle = PATH_COLOR;
  ctx.globalAlpha = 0.55;
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    ctx.moveTo(...at(0, i));
    for (let f = 1; f < numFrames; f++) ctx.lineTo(...at(f, i));
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
  drawPoints(ctx, size, frames.subarray(0, 2 * n), NOISE_COLOR, 2, 1);
  drawPoints(ctx, size, frames.subarray(2 * n * (numFrames - 1)), PATH_COLOR, 2, 1);
}
