// The main canvas in words (its aria-describedby): what the data is, how
// many samples of which weights, their distance to the data, the share on a
// training point, and training's step. Rewritten at a human pace (at most
// every SUMMARY_MS), not with every preview.
import { $ } from "../app/dom.js";

const SUMMARY_MS = 3000;
// A preset's name as its button shows it.
const presetTitle = (name) => document.querySelector(`[data-preset="${name}"]`)?.textContent || name;

export class CanvasSummary {
  constructor(state) {
    this.state = state;
    this.last = -Infinity; // the first rewrite is at once
    this.timer = 0;
  }

  // Soon: now if the last rewrite is old enough, else when it is; `now`:
  // at once (new data or a new model, which a reader should not wait for).
  update(now = false) {
    if (now) {
      clearTimeout(this.timer);
      this.timer = 0;
      this.last = performance.now();
      this.write();
      return;
    }
    if (this.timer) return;
    const wait = Math.max(0, this.last + SUMMARY_MS - performance.now());
    this.timer = setTimeout(() => { this.timer = 0; this.last = performance.now(); this.write(); }, wait);
  }

  text() {
    const s = this.state, n = s.points.length / 2;
    const name = s.settings.dataset === "custom" ? "your own drawing" : `the ${presetTitle(s.settings.dataset)} preset`;
    const subset = s.trainingSubset && s.trainingSubset.count === n ? s.trainingSubset.indices.length : 0;
    const trains = subset ? `, of which the model trains on ${subset.toLocaleString()} (ringed; the rest are held out)` : "";
    const parts = [n ? `Data: ${name}, ${n.toLocaleString()} points${trains}.` : "No data yet: pick a preset, draw, or type points."];
    const p = s.preview;
    if (p && $("show-samples").checked) {
      const score = p.score && p.step > 0 ? `, distance to the data ${p.score.chamfer.toFixed(3)}` : "";
      const memorised = p.memorised !== null && p.memorised !== undefined ? `, ${Math.round(100 * p.memorised)}% on a training point` : "";
      parts.push(`Samples: ${(p.points.length / 2).toLocaleString()} drawn with the weights of step ${p.step.toLocaleString()}${p.step ? "" : " (untrained)"}${score}${memorised}.`);
    }
    parts.push(`Training: ${s.training ? "running" : "paused"} at step ${s.step.toLocaleString()}.`);
    return parts.join(" ");
  }

  write() { $("canvas-summary").textContent = this.text(); }
}
