// The points as text: a dialog with the data as x, y[, class] lines to
// read, type, paste or edit, applied as one undoable change (the same
// reader as CSV imports). Text that does not parse keeps the dialog open
// with the line at fault; nothing changes until it does.
import { parseCsv, toCsv } from "../shared/csv.js";
import { numClassesOf } from "../shared/classes.js";
import { MAX_POINTS } from "../shared/settings.js";
import { $ } from "../app/dom.js";

export class PointsDialog {
  // apply(xy, labels): the new points (labels null: one class).
  constructor(state, apply) {
    this.state = state;
    this.apply = apply;
    this.dialog = $("points-dialog");
    $("edit-points").onclick = () => this.open();
    $("points-cancel").onclick = () => this.dialog.close();
    $("points-apply").onclick = () => this.use();
    // Closed, the focus goes back to the button that opened it (not every engine does so itself).
    this.dialog.addEventListener("close", () => $("edit-points").focus());
  }

  open() {
    const { points, labels } = this.state;
    // toCsv's header line is left out: the dialog says what a line is.
    $("points-text").value = points.length ? toCsv(points, numClassesOf(labels) > 0 ? labels : null).replace(/^[^\n]*\n/, "") : "";
    $("points-error").textContent = "";
    this.dialog.showModal();
    $("points-text").focus();
  }

  use() {
    try {
      const { xy, labels } = parseCsv($("points-text").value, MAX_POINTS);
      this.dialog.close();
      this.apply(xy, labels);
    } catch (e) {
      $("points-error").textContent = `Not used: ${e.message}. Your points are unchanged.`;
    }
  }
}
