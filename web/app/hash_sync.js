// The URL hash: the settings and a small drawing written to it after every
// change, read from it at start-up and when the user edits or navigates it.
import { MAX_POINTS_IN_HASH, fromHash, toHash } from "../shared/link.js";
import { setPoints } from "./state.js";
import { loadDrawing } from "./drawing_store.js";
import { $ } from "./dom.js";

export class HashSync {
  // onNavigated(): the hash was changed by the user (the settings and points now hold it).
  constructor(state, banner, { onNavigated }) {
    this.state = state;
    this.banner = banner;
    this.writing = false; // our own replaceState, not the user's navigation
    window.addEventListener("hashchange", () => { if (!this.writing) { this.read(); onNavigated(); } });
  }

  write() {
    const s = this.state;
    const hash = toHash(s.settings, s.points, s.labels);
    this.writing = true;
    history.replaceState(null, "", hash ? `#${hash}` : location.pathname + location.search);
    this.writing = false;
    const tooMany = s.settings.dataset === "custom" && s.points.length / 2 > MAX_POINTS_IN_HASH;
    $("count-data").title = tooMany ? `Links keep drawings of up to ${MAX_POINTS_IN_HASH} points; this one is only in this tab.` : "";
  }

  // The link's settings and points; a drawing the link could not hold
  // comes from this browser's copy (drawing_store.js) if it has one.
  read() {
    const { settings, points, labels, problems, drawingMissing } = fromHash(location.hash);
    this.state.settings = settings;
    if (points) setPoints(this.state, points, labels);
    if (problems.length) {
      this.banner.show(`Parts of the link were ignored: ${problems.slice(0, 3).join("; ")}.`, { error: true });
    } else if (drawingMissing) {
      const kept = loadDrawing();
      if (kept) {
        settings.dataset = "custom";
        setPoints(this.state, kept.points, kept.labels);
        this.banner.show(`Your drawing of ${(kept.points.length / 2).toLocaleString()} points is back: links keep up to ${MAX_POINTS_IN_HASH.toLocaleString()} points, so this browser kept it.`);
      } else {
        this.banner.show(`The link's drawing was too large for a link, and this browser has no copy of it: here is the ${settings.dataset} instead.`, { error: true });
      }
    }
  }
}
