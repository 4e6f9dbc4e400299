// The list of keyboard shortcuts (app/shortcuts.js's table and the canvas's
// keys), opened by the "?" button or key, with the switch that turns the
// single-key shortcuts off.
import { CANVAS_KEYS, SHORTCUTS, setShortcutsEnabled, shortcutsEnabled } from "../app/shortcuts.js";
import { $ } from "../app/dom.js";

function keyCell(keys) {
  const td = document.createElement("td");
  keys.forEach((key, i) => {
    if (key === "–") { td.append(" to "); return; }
    if (i && keys[i - 1] !== "–") td.append(keys.length === 2 && keys[0] === "Ctrl" ? "+" : " ");
    const kbd = document.createElement("kbd");
    kbd.textContent = key;
    td.append(kbd);
  });
  return td;
}

export class KeysDialog {
  constructor() {
    this.dialog = $("keys-dialog");
    const body = $("keys-table");
    for (const row of [...SHORTCUTS, ...CANVAS_KEYS]) {
      const tr = document.createElement("tr");
      const what = document.createElement("td");
      what.textContent = row.what;
      tr.append(keyCell(row.keys), what);
      body.append(tr);
    }
    const enabled = $("keys-enabled");
    enabled.checked = shortcutsEnabled();
    enabled.onchange = () => setShortcutsEnabled(enabled.checked);
    $("open-keys").onclick = () => this.open();
    // Closed, the focus goes back where it was (not every engine does so itself).
    this.dialog.addEventListener("close", () => { if (this.returnTo && this.returnTo.isConnected) this.returnTo.focus(); });
  }

  open() {
    $("keys-enabled").checked = shortcutsEnabled();
    if (this.dialog.open) return;
    this.returnTo = document.activeElement;
    this.dialog.showModal();
  }
}
