// The drawing tool: owns the main canvas's pointer events and sprays (or
// erases) points under the pointer while it is pressed: it sprays points of
// state.brushClass and erases points of any class. It changes state.points
// and state.labels and reports through its callbacks; it knows nothing else.
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
    this.bindRange("brush-size", "size", 2);
    this.bindRange("brush-density", "density", 0);
    $("tool-draw").onclick = () => this.setTool("draw");
    $("tool-erase").onclick = () => this.setTool("erase");
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

  setTool(tool) {
    this.state.tool = tool;
    $("tool-draw").classList.toggle("active", tool === "draw");
    $("tool-erase").classList.toggle("active", tool === "erase");
  }

  toData(event) {
    const r = this.canvas.getBoundingClientRect();
    return [((event.clientX - r.left) / r.width) * 2 * VIEW_RANGE - VIEW_RANGE,
      VIEW_RANGE - ((event.clientY - r.top) / r.height) * 2 * VIEW_RANGE];
  }

  down(event) {
    if (event.button !== 0 && event.pointerType === "mouse") return;
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

  // One frame of the brush at the pointer; true if the points changed.
  apply() {
    const { x, y } = this.stroke;
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
