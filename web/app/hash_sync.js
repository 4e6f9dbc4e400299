// The URL hash: the settings and a small drawing written to it after every
// change, read from it at start-up and when the user edits or navigates it.
import { MAX_POINTS_IN_HASH, fromHash, toHash } from "../shared/link.js";
import { setPoints } from "./state.js";
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

  read() {
    const { settings, points, labels, problems } = fromHash(location.hash);
    this.state.settings = settings;
    if (points) setPoints(this.state, points, labels);
    if (problems.length) this.banner.show(`Parts of the link were ignored: ${problems.slice(0, 3).join("; ")}.`, { error: true });
  }
}
