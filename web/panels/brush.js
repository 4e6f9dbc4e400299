// The drawing tool: owns the main canvas's pointer events and sprays (or
// erases) points under the pointer while it is pressed: it sprays points of
// state.brushClass and erases points of any class. It changes state.points
// and state.labels and reports through its callbacks; it knows nothing else.
// A finger edits only while a tool was deliberately chosen (a press of Draw
// or Erase, their keys, the "draw" preset): otherwise a swipe over the
// canvas scrolls the page, as it does everywhere else. On a touch-first
// device no tool is on at first; with a mouse, Draw is.
import { VIEW_RANGE } from "../shared/settings.js";
import { $ } from "../app/dom.js";


export class Brush {
  // callbacks: {onStrokeStart(), onPaint() (points changed during a stroke),
  //             onStrokeEnd(changed), onFull()}
  constructor(state, canvas, maxPoints, callbacks) {
    this.state = state;
    this.canvas = canvas;
    this.maxPoints = maxPoints;
    this.callbacks = callbacks;
    this.size = 0.3;
    this.density = 6;
    this.stroke = null; // {x, y, pointerId, changed}
    this.ignored = null; // the pointer of a touch that scrolls instead of editing
    this.bindRange("brush-size", "size", 2);
    this.bindRange("brush-density", "density", 0);
    this.toolChosen = false; // a tool was deliberately chosen: a finger may edit
    $("tool-draw").onclick = () => this.setTool(state.tool === "draw" && this.toolChosen ? null : "draw");
    $("tool-erase").onclick = () => this.setTool(state.tool === "erase" && this.toolChosen ? null : "erase");
    this.showTool(matchMedia("(pointer: coarse)").matches ? null : "draw");
    canvas.addEventListener("pointerdown", (e) => this.down(e));
    canvas.addEventListener("pointermove", (e) => this.move(e));
    canvas.addEventListener("pointerup", (e) => this.end(e));
    canvas.addEventListener("pointercancel", (e) => this.end(e));
  }

  bindRange(id, key, digits) {
    const input = $(id), out = $(`${id}-out`);
    const update = () => { this[key] = Number(input.value); out.textContent = this[key].toFixed(digits); };
    input.oninput = update;
    update();
  }

  // A deliberate choice of a tool ("draw", "erase" or null: none).
  setTool(tool) {
    this.toolChosen = tool !== null;
    this.showTool(tool);
    $("canvas-note").hidden = true;
  }

  showTool(tool) {
    this.state.tool = tool;
    for (const [name, id] of [["draw", "tool-draw"], ["erase", "tool-erase"]]) {
      $(id).classList.toggle("active", tool === name);
      $(id).setAttribute("aria-pressed", String(tool === name));
    }
    this.canvas.toggleAttribute("data-touch-tool", this.toolChosen && tool !== null);
    $("canvas-hint").textContent = tool === "draw" ? "Press and drag to spray points (or use the keyboard: Tab here, arrows, Enter)"
      : "Press Draw to spray points, then drag on the canvas";
  }

  toData(event) {
    const r = this.canvas.getBoundingClientRect();
    return [((event.clientX - r.left) / r.width) * 2 * VIEW_RANGE - VIEW_RANGE,
      VIEW_RANGE - ((event.clientY - r.top) / r.height) * 2 * VIEW_RANGE];
  }

  down(event) {
    if (event.button !== 0 && event.pointerType === "mouse") return;
    if (!this.state.tool || (event.pointerType === "touch" && !this.toolChosen)) {
      // Not an edit: the page scrolls under a finger. Say how to draw if it was a tap.
      this.ignored = event.pointerId;
      return;
    }
    event.preventDefault();
    this.canvas.setPointerCapture(event.pointerId);
    const [x, y] = this.toData(event);
    this.stroke = { x, y, pointerId: event.pointerId, changed: false };
    this.callbacks.onStrokeStart();
    requestAnimationFrame(() => this.spray());
  }

  move(event) {
    if (!this.stroke || event.pointerId !== this.stroke.pointerId) return;
    [this.stroke.x, this.stroke.y] = this.toData(event);
  }

  end(event) {
    if (event.pointerId === this.ignored) {
      this.ignored = null;
      if (event.type === "pointerup") this.note("To draw with a finger, press Draw (or Erase) first; a swipe over the canvas scrolls the page.");
    }
    if (!this.stroke || event.pointerId !== this.stroke.pointerId) return;
    const { changed } = this.stroke;
    this.stroke = null;
    this.callbacks.onStrokeEnd(changed);
  }

  spray() {
    if (!this.stroke) return;
    if (this.apply()) {
      this.stroke.changed = true;
      this.callbacks.onPaint();
    }
    requestAnimationFrame(() => this.spray());
  }

  note(text) {
    $("canvas-note").textContent = text;
    $("canvas-note").hidden = false;
  }

  // One dab of the brush at (x, y) as a stroke of its own (the keyboard's
  // Enter); false if no tool is on.
  dab(x, y) {
    if (!this.state.tool) return false;
    this.callbacks.onStrokeStart();
    const changed = this.applyAt(x, y);
    if (changed) this.callbacks.onPaint();
    this.callbacks.onStrokeEnd(changed);
    return true;
  }

  // One frame of the brush at the pointer; true if the points changed.
  apply() { return this.applyAt(this.stroke.x, this.stroke.y); }

  applyAt(x, y) {
    const { points, labels } = this.state;
    if (this.state.tool === "draw") {
      const count = Math.min(this.density, this.maxPoints - points.length / 2);
      if (count <= 0) {
        this.callbacks.onFull();
        return false;
      }
      const next = new Float32Array(points.length + 2 * count);
      next.set(points);
      for (let i = 0; i < count; i++) {
        const r = this.size * Math.sqrt(Math.random()), a = 2 * Math.PI * Math.random();
        next[points.length + 2 * i] = x + r * Math.cos(a);
        next[points.length + 2 * i + 1] = y + r * Math.sin(a);
      }
      const nextLabels = new Int32Array(labels.length + count);
      nextLabels.set(labels);
      nextLabels.fill(this.state.brushClass, labels.length);
      this.state.points = next;
      this.state.labels = nextLabels;
      return true;
    }
    const r2 = this.size * this.size;
    const kept = [], keptLabels = [];
    for (let i = 0; i < points.length; i += 2) {
      const dx = points[i] - x, dy = points[i + 1] - y;
      if (dx * dx + dy * dy > r2) {
        kept.push(points[i], points[i + 1]);
        keptLabels.push(labels[i / 2]);
      }
    }
    if (kept.length === points.length) return false;
    this.state.points = Float32Array.from(kept);
    this.state.labels = Int32Array.from(keptLabels);
    return true;
  }
}
