// The classes of the drawing: the palette the brush sprays from (eight
// colours), and once the points have classes, which class the samples are
// drawn from and the guidance scale, a slider that redraws the samples as
// it moves. It reports choices through its callbacks; what they do is the
// controller's.
import { CLASS_COLORS, CLASS_NAMES, MAX_CLASSES, classCounts, numClassesOf } from "../shared/classes.js";
import { $ } from "../app/dom.js";


export class ClassPanel {
  // callbacks: {onBrushClass(k), onChange(name, value)} (name: sampleClass or guidance)
  constructor(state, callbacks) {
    this.state = state;
    this.callbacks = callbacks;
    this.swatches = [];
    const palette = $("class-palette");
    for (let k = 0; k < MAX_CLASSES; k++) {
      const b = document.createElement("button");
      b.className = "class-swatch";
      b.style.setProperty("--class-color", CLASS_COLORS[k]);
      b.dataset.class = String(k);
      b.setAttribute("aria-label", `Spray class ${k} (${CLASS_NAMES[k]})`);
      b.onclick = () => this.setBrushClass(k);
      palette.append(b);
      this.swatches.push(b);
    }
    $("sample-class").addEventListener("change", (e) => this.callbacks.onChange("sampleClass", Number(e.target.value)));
    $("guidance").addEventListener("input", (e) => this.callbacks.onChange("guidance", Number(e.target.value)));
    this.sync();
  }

  setBrushClass(k) {
    this.callbacks.onBrushClass(k);
    this.sync();
  }

  // Shows the brush's class, the counts, and (with classes) the sampling controls.
  sync() {
    const s = this.state;
    const classes = numClassesOf(s.labels);
    const counts = classCounts(s.labels, MAX_CLASSES);
    this.swatches.forEach((b, k) => {
      b.classList.toggle("active", k === s.brushClass);
      b.setAttribute("aria-pressed", String(k === s.brushClass));
      b.title = `Class ${k} (${CLASS_NAMES[k]}): ${counts[k].toLocaleString()} points · key ${k + 1}`;
    });
    $("class-sampling").hidden = classes === 0;
    if (!classes) return;
    const select = $("sample-class");
    const options = [["-1", "all classes (in the data's shares)"]];
    for (let k = 0; k < classes; k++) if (counts[k] > 0) options.push([String(k), `class ${k} (${CLASS_NAMES[k]})`]);
    select.replaceChildren(...options.map(([value, text]) => {
      const o = document.createElement("option");
      o.value = value;
      o.textContent = text;
      return o;
    }));
    const chosen = s.settings.sampleClass;
    select.value = options.some(([v]) => Number(v) === chosen) ? String(chosen) : "-1";
    const w = s.settings.guidance;
    $("guidance").value = String(Math.min(w, Number($("guidance").max)));
    $("guidance-out").textContent = w.toFixed(2);
    $("guidance-note").textContent = s.modelClasses !== classes
      ? "Building a conditional model for your classes…"
      : w === 0 ? "w = 0: the unconditional model; the class makes no difference."
        : w === 1 ? "w = 1: the conditional model, ε(x, t, class)."
          : `w = ${w}: ε(x, t) + ${w} (ε(x, t, class) − ε(x, t)), pushed ${w > 1 ? "beyond" : "short of"} the conditional model.`;
  }
}
