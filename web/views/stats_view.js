// The numbers under the title: epoch, step, steps per second (its tooltip:
// the training threads), the last loss and the live view's distance.
import { $ } from "../app/dom.js";

export function showStats(state) {
  const s = state;
  $("stat-epoch").textContent = s.epoch.toLocaleString();
  $("stat-step").textContent = s.step.toLocaleString();
  $("stat-speed").textContent = s.stepsPerSecond ? Math.round(s.stepsPerSecond).toLocaleString() : "–";
  $("stat-speed").title = `${s.threading.threads} training thread${s.threading.threads === 1 ? "" : "s"}`;
  const last = s.lossHistory[s.lossHistory.length - 1];
  $("stat-loss").textContent = last ? last.value.toFixed(3) : "–";
  $("stat-score").textContent = s.preview && s.preview.score && s.preview.step > 0 ? s.preview.score.chamfer.toFixed(3) : "–";
}

// The page's sentences that state one of core's limits (an element with
// data-limit="memorisedRadius", say) show the module's number.
export function showLimits(limits) {
  if (!limits) return;
  for (const el of document.querySelectorAll("[data-limit]")) {
    const value = limits[el.dataset.limit];
    if (value !== undefined) el.textContent = String(value);
  }
}
