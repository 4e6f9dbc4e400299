// The canvas with the keyboard: once focused it shows a cursor (a circle of
// the brush's size) that the arrow keys move, and Enter applies the chosen
// tool under it, one undoable dab per press (held, the key repeats). Where
// the cursor is and what lies under it is said in words beside the canvas.
// It moves state.cursor; the brush does the editing.
import { VIEW_RANGE } from "../shared/settings.js";
import { $ } from "../app/dom.js";

const STEP = 0.25;       // data units per arrow press (the view spans 12)
const SHIFT_TIMES = 4;
const MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };

export class CanvasKeys {
  // brush: the Brush (its tool, size and dab); redraw(): the canvas again.
  constructor(state, canvas, brush, redraw) {
    Object.assign(this, { state, canvas, brush, redraw });
    this.place = { x: 0, y: 0 };
    canvas.addEventListener("focus", () => this.show(true));
    canvas.addEventListener("blur", () => this.show(false));
    canvas.addEventListener("keydown", (e) => this.key(e));
  }

  show(on) {
    this.state.cursor = on ? { ...this.place, radius: this.brush.size } : null;
    $("canvas-cursor").hidden = !on;
    if (on) this.describe(false);
    this.redraw();
  }

  key(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const move = MOVES[event.key];
    if (move) {
      event.preventDefault();
      const d = STEP * (event.shiftKey ? SHIFT_TIMES : 1);
      const clamp = (v) => Math.max(-VIEW_RANGE, Math.min(VIEW_RANGE, v));
      this.place = { x: clamp(this.place.x + move[0] * d), y: clamp(this.place.y + move[1] * d) };
      this.show(true);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const before = this.state.points.length;
      if (!this.brush.dab(this.place.x, this.place.y)) {
        $("canvas-cursor").textContent = "No tool is on: press B to draw or E to erase (or the Draw and Erase buttons).";
        return;
      }
      this.show(true);
      this.describe(true, (this.state.points.length - before) / 2);
    }
  }

  // The cursor's place, the points under it, and (after a dab) what changed.
  describe(edited, added = 0) {
    const { x, y } = this.place, r = this.brush.size, p = this.state.points;
    let under = 0;
    for (let i = 0; i < p.length; i += 2) if ((p[i] - x) ** 2 + (p[i + 1] - y) ** 2 <= r * r) under++;
    const fmt = (v) => v.toFixed(2).replace("-", "−");
    const change = !edited ? "" : added > 0 ? `Added ${added}. ` : added < 0 ? `Erased ${-added}. ` : "Nothing changed. ";
    const tool = this.state.tool ? `Enter ${this.state.tool === "draw" ? "sprays" : "erases"}` : "no tool on";
    $("canvas-cursor").textContent = `${change}Cursor at x ${fmt(x)}, y ${fmt(y)}: ${under} point${under === 1 ? "" : "s"} under the brush; ${(p.length / 2).toLocaleString()} in all · ${tool}.`;
  }
}
