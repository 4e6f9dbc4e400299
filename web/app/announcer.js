// Milestones for screen readers: one polite status region (#announcer) says
// what changed - training started, paused, stopped, a new model - never
// every step. The same sentence twice is said twice: the region is emptied
// first and filled on the next task, which every screen reader reads as new.
import { $ } from "./dom.js";

let pending = 0;

export function announce(sentence) {
  const region = $("announcer");
  if (!region) return;
  clearTimeout(pending);
  region.textContent = "";
  pending = setTimeout(() => { region.textContent = sentence; }, 50);
}
