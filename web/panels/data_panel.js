// The data panel: presets, undo, clear, CSV in and out, model files in and
// out, and files dropped on the page. What follows from an edit is the
// callbacks' (the model's life, training).
import { parseCsv, toCsv } from "../shared/csv.js";
import { numClassesOf } from "../shared/classes.js";
import { setPoints } from "../app/state.js";
import { MAX_POINTS, outsideView } from "../shared/settings.js";
import { $, download } from "../app/dom.js";

const MAX_CSV_BYTES = 20 * 1024 * 1024;
const UNDO_DEPTH = 60;


export class DataPanel {
  // actions: {onPointsChanged(), requestPreset(name), pause(), loadModel(bytes) -> Promise, saveModel() -> Promise<{bytes}>,
  //           chooseDrawTool(), announce(sentence)}
  constructor(state, banner, actions) {
    this.state = state;
    this.banner = banner;
    this.actions = actions;
    document.querySelectorAll("[data-preset]").forEach((b) => { b.onclick = () => this.setDataset(b.dataset.preset); });
    $("undo").onclick = () => this.undo();
    $("clear").onclick = () => this.clear();
    $("export-data").onclick = () => this.exportData();
    $("export-samples").onclick = () => this.exportSamples();
    $("export-model").onclick = () => this.exportModel();
    // The file inputs are hidden; their buttons open them (a label is not in the Tab order).
    $("import-csv-button").onclick = () => $("import-csv").click();
    $("load-model-button").onclick = () => $("load-model").click();
    for (const [id, open] of [["import-csv", (f) => this.importCsv(f)], ["load-model", (f) => this.loadModel(f)]]) {
      $(id).onchange = (event) => {
        const file = event.target.files[0];
        event.target.value = "";
        if (file) open(file);
      };
    }
    this.bindDrop();
  }

  showCount() {
    const count = this.state.points.length / 2, subset = this.state.trainingSubset;
    $("count-data").textContent = subset && subset.count === count
      ? `${count.toLocaleString()}, trains on ${subset.indices.length.toLocaleString()}` : count.toLocaleString();
    $("canvas-hint").hidden = this.state.points.length > 0;
    document.querySelectorAll("[data-preset]").forEach((b) => {
      const on = b.dataset.preset === this.state.settings.dataset;
      b.classList.toggle("active", on);
      b.setAttribute("aria-pressed", String(on));
    });
  }

  pushUndo() {
    this.state.undo.push({ points: this.state.points, labels: this.state.labels });
    if (this.state.undo.length > UNDO_DEPTH) this.state.undo.shift();
  }
  dropUndo() { this.state.undo.pop(); this.showCount(); }

  // Replaces the points (and their classes) with the user's own (a drawing,
  // an import, an undo).
  setCustom(points, labels = null) {
    this.state.settings.dataset = "custom";
    setPoints(this.state, points, labels);
    this.actions.onPointsChanged();
  }

  setDataset(name) {
    this.pushUndo();
    if (name === "custom") {
      if (this.state.training) this.actions.pause();
      this.setCustom(new Float32Array(0));
      this.actions.chooseDrawTool();
      this.banner.show("Draw your own data: press and drag on the canvas to spray points (or Tab to it: arrows move a cursor, Enter sprays; or Points as text), then press Train.");
      return;
    }
    this.state.settings.dataset = name;
    this.showCount();
    this.actions.requestPreset(name);
  }

  // Points typed or pasted as text (panels/points_dialog.js).
  useText(xy, labels) {
    this.pushUndo();
    this.setCustom(xy, labels);
    const classes = labels ? numClassesOf(labels) : 0;
    this.actions.announce(`Using ${(xy.length / 2).toLocaleString()} points from the text${classes ? ` in ${classes} classes` : ""}.${outsideView(xy) ? " Some lie outside the view." : ""}`);
  }

  undo() {
    if (!this.state.undo.length) return;
    const { points, labels } = this.state.undo.pop();
    this.setCustom(points, labels);
    this.actions.announce(`Undone: ${(points.length / 2).toLocaleString()} points.`);
  }

  clear() {
    if (!this.state.points.length) return;
    this.pushUndo();
    if (this.state.training) this.actions.pause();
    this.setCustom(new Float32Array(0));
  }

  exportData() {
    if (!this.state.points.length) return this.banner.show("There are no points to export.", { error: true });
    const { points, labels } = this.state;
    download(`tinydiff-${this.state.settings.dataset}.csv`, toCsv(points, numClassesOf(labels) > 0 ? labels : null), "text/csv");
  }

  // The samples on screen (the live view's).
  exportSamples() {
    const preview = this.state.preview;
    if (!preview) return this.banner.show("There are no samples yet: train the model first.", { error: true });
    download(`tinydiff-samples-step${preview.step}.csv`, toCsv(preview.points, preview.labels.length ? preview.labels : null), "text/csv");
  }

  async importCsv(file) {
    if (file.size > MAX_CSV_BYTES) return this.banner.show(`${file.name} is larger than 20 MB.`, { error: true });
    try {
      const { xy, labels } = parseCsv(await file.text(), MAX_POINTS);
      this.pushUndo();
      this.setCustom(xy, labels);
      const far = outsideView(xy);
      const classes = labels ? numClassesOf(labels) : 0;
      this.banner.show(`Imported ${(xy.length / 2).toLocaleString()} points${classes ? ` in ${classes} classes` : ""} from ${file.name}.${far ? " Some lie outside the [-6, 6] view." : ""}`);
    } catch (e) {
      this.banner.show(`Could not import ${file.name}: ${e.message}. Your current points are unchanged.`, { error: true });
    }
  }

  exportModel() {
    if (!this.state.modelReady) return;
    this.actions.saveModel().then(({ bytes }) => {
      download(`tinydiff-${this.state.settings.dataset}-step${this.state.step}.safetensors`, bytes, "application/octet-stream");
    }, (e) => this.banner.show(e.message, { error: true }));
  }

  async loadModel(file) {
    if (!this.state.workerReady) return this.banner.show("The model cannot be loaded before the WebAssembly module is ready.", { error: true });
    const maxBytes = this.state.limits.maxModelFileBytes;
    if (file.size > maxBytes) return this.banner.show(`${file.name} is larger than ${maxBytes / (1024 * 1024)} MB.`, { error: true });
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      await this.actions.loadModel(bytes);
    } catch (e) {
      this.banner.show(`Could not load ${file.name}: ${e.message}. The current model is unchanged.`, { error: true });
    }
  }

  // Drop a model (.safetensors) or points (.csv / .txt) anywhere on the page.
  bindDrop() {
    let depth = 0;
    window.addEventListener("dragenter", (e) => {
      if (e.dataTransfer && [...e.dataTransfer.types].includes("Files")) { depth++; $("drop-hint").hidden = false; }
    });
    window.addEventListener("dragleave", () => { depth = Math.max(0, depth - 1); if (!depth) $("drop-hint").hidden = true; });
    window.addEventListener("dragover", (e) => e.preventDefault());
    window.addEventListener("drop", (e) => {
      e.preventDefault();
      depth = 0;
      $("drop-hint").hidden = true;
      const file = e.dataTransfer && e.dataTransfer.files[0];
      if (!file) return;
      if (/\.(csv|txt)$/i.test(file.name)) this.importCsv(file);
      else this.loadModel(file);
    });
  }
}
