// The memorisation lab's pictures and words: for each training-set size n,
// the share of samples that copy a training point (solid) over its base rate
// (dashed), and the distance to held-out points, against training steps on
// a log scale; the samples of one chosen n over its training points, the
// copies marked; a table of the same numbers with the training times; and
// the main model's copies beside the ideal denoiser's and the base rate.
import { drawCurves } from "./plot_axes.js";
import { drawGrid, setupCanvas, toPixel } from "./canvas.js";
import { fillNumberTable } from "./number_table.js";
import { $ } from "../app/dom.js";

// One colour a size (non-text contrast on white at least 3:1).
export const SIZE_COLORS = ["#4f46e5", "#c2410c", "#047857"];
const percent = (v) => (v === null || v === undefined ? "–" : `${Math.round(100 * v)}%`);
const stepText = (v) => (v === null || v === undefined ? "not yet" : v.toLocaleString());

export class MemorisationView {
  constructor() {
    this.reset([], [], []);
  }

  // A new run: its sizes, their training points, and its evaluation steps.
  reset(sizes, trains, steps) {
    this.sizes = sizes;
    this.steps = steps;
    this.curves = new Map(sizes.map((n, i) => [n, { train: trains[i], copy: [], base: [], test: [], last: null, times: null }]));
    if (!sizes.includes(this.chosen)) this.chosen = sizes[0] ?? null;
    const select = $("mem-n");
    select.replaceChildren(...sizes.map((n) => new Option(`n = ${n}`, String(n), false, n === this.chosen)));
    select.disabled = !sizes.length;
    $("mem-charts").hidden = $("mem-legend-line").hidden = !sizes.length;
    this.draw();
  }

  choose(n) {
    this.chosen = n;
    this.drawSamples();
  }

  // One evaluation of the model of size e.n; -> whether it began to copy with it.
  add(e) {
    const c = this.curves.get(e.n);
    if (!c) return false;
    const before = c.times && c.times.tauMem;
    if (e.step > 0) {
      c.copy.push(e.copyShare);
      c.base.push(e.baseRate);
      c.test.push(e.testDistance);
    }
    c.last = e;
    c.times = e.times;
    this.draw();
    return !before && e.times.tauMem !== null;
  }

  draw() {
    if (!this.sizes.length) return this.fillTable();
    const colored = (n) => SIZE_COLORS[this.sizes.indexOf(n) % SIZE_COLORS.length];
    const common = { xLabel: "step", xStart: this.steps.length ? this.steps[0].toLocaleString() : "", xCount: this.steps.length,
      xEnd: this.steps.length ? this.steps[this.steps.length - 1].toLocaleString() : "" };
    const copies = [], distances = [];
    for (const [n, c] of this.curves) {
      copies.push({ values: c.base, color: colored(n), dash: [4, 4] }, { values: c.copy, color: colored(n) });
      distances.push({ values: c.test, color: colored(n) });
    }
    drawCurves($("mem-copy-canvas"), copies, { ...common, min: 0, max: 1 });
    drawCurves($("mem-test-canvas"), distances, { ...common, log: true });
    $("mem-legend").replaceChildren(...this.sizes.map((n) => {
      const item = document.createElement("span");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colored(n);
      item.append(swatch, ` n = ${n}`);
      return item;
    }));
    this.drawSamples();
    this.fillTable();
  }

  // The chosen size's last samples over its training points; copies in red.
  drawSamples() {
    const canvas = $("mem-samples-canvas");
    const { ctx, w } = setupCanvas(canvas);
    drawGrid(ctx, w);
    const c = this.curves.get(this.chosen);
    if (!c) return;
    const ring = (x, y, r) => { const [px, py] = toPixel(w, x, y); ctx.moveTo(px + r, py); ctx.arc(px, py, r, 0, 2 * Math.PI); };
    ctx.strokeStyle = "#1f2430";
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (let i = 0; i < c.train.length; i += 2) ring(c.train[i], c.train[i + 1], 5);
    ctx.stroke();
    if (!c.last) return;
    const { xy, copies } = c.last;
    for (const copy of [0, 1]) {
      ctx.fillStyle = copy ? "#dc2626" : "#8b93a7";
      for (let i = 0; i < copies.length; i++) {
        if (copies[i] !== copy) continue;
        const [px, py] = toPixel(w, xy[2 * i], xy[2 * i + 1]);
        ctx.fillRect(px - (copy ? 2 : 1.5), py - (copy ? 2 : 1.5), copy ? 4 : 3, copy ? 4 : 3);
      }
    }
    const count = copies.reduce((a, b) => a + b, 0);
    $("mem-samples-note").textContent = `n = ${this.chosen}, step ${c.last.step.toLocaleString()}: ${count} of ${copies.length} samples are copies (red) of its ${c.train.length / 2} training points (rings); ${percent(c.last.baseRate)} of held-out points would pass the same test by chance.`;
  }

  fillTable() {
    const rows = [...this.curves].filter(([, c]) => c.last).map(([n, c]) => [
      String(n), c.last.step.toLocaleString(), percent(c.last.copyShare), percent(c.last.baseRate),
      c.last.testDistance.toFixed(3), stepText(c.times.tauFall), stepText(c.times.tauMem)]);
    if (!rows.length) { $("mem-table").textContent = "No numbers yet: run the lab."; return; }
    fillNumberTable($("mem-table"), ["n", "step", "copies", "base rate", "test distance", "τ_gen", "τ_mem"], rows,
      "each size's last evaluation, and its training times so far (τ_gen can still move while the run goes on)");
  }

  // The main model: its samples' copies, the ideal denoiser's and the base rate.
  showMain(info, copyShare, step) {
    if (!info) { $("mem-main").textContent = ""; return; }
    const held = info.heldOutCount
      ? `${percent(info.baseRate)} of its ${Math.min(info.heldOutCount, 2000).toLocaleString()} held-out points would pass the same test by chance (the base rate)`
      : "none are held out to measure a base rate on";
    const own = copyShare === null ? "its samples are scored once it has some" : `${percent(copyShare)} of its samples (weights of step ${step.toLocaleString()}) copy one`;
    // Dense points: the ideal denoiser lands within its smallest noise of a training point, where neighbours are as near.
    const dense = info.idealShare !== null && info.idealShare < 0.5
      ? " With points this dense even the ideal denoiser, which only reproduces them, rarely passes the test." : "";
    const fewer = !info.heldOutCount || dense ? " Set “training points” to 64 in the settings to watch a model copy, against held-out points." : "";
    $("mem-main").textContent = `Your model trains on ${info.trainCount.toLocaleString()} points: ${own}; the ideal denoiser's: ${percent(info.idealShare)}; ${held}.${dense}${fewer}`;
  }
}
