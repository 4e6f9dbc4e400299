// The page's keyboard shortcuts: one table, read by the key handler and by
// the list the "?" button opens (panels/keys_dialog.js). They act only when
// the focus is on the page itself or on the canvas, so Space and Enter on a
// focused control press that control and typing in a field types. Single
// keys can be turned off (WCAG 2.1.4); the choice is kept in this browser.
const STORE_KEY = "tinydiff.shortcuts";

// keys: what the list shows; match(event): whether the event is this
// shortcut; single: a key without modifiers (turned off with the others);
// action: the name of the handler installShortcuts is given.
export const SHORTCUTS = [
  { keys: ["Space"], what: "train or pause", single: true, action: "toggleTraining", match: (e) => e.key === " " },
  { keys: ["Ctrl", "Z"], what: "undo the last change to the points", single: false, action: "undo",
    match: (e) => (e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === "z" },
  { keys: ["B"], what: "the Draw tool (spray points)", single: true, action: "draw", match: (e) => e.key === "b" || e.key === "B" },
  { keys: ["E"], what: "the Erase tool", single: true, action: "erase", match: (e) => e.key === "e" || e.key === "E" },
  { keys: ["1", "–", "8"], what: "the class the brush sprays", single: true, action: "brushClass", match: (e) => /^[1-8]$/.test(e.key) },
  { keys: ["?"], what: "this list", single: true, action: "showKeys", match: (e) => e.key === "?" },
];

// Keys of the canvas itself (panels/canvas_keys.js), listed with the shortcuts.
export const CANVAS_KEYS = [
  { keys: ["←", "↑", "→", "↓"], what: "on the canvas: move the cursor (with Shift, four times as far)" },
  { keys: ["Enter"], what: "on the canvas: spray (or erase) points under the cursor; hold to keep spraying" },
];

export function shortcutsEnabled() {
  try { return localStorage.getItem(STORE_KEY) !== "off"; } catch { return true; }
}
export function setShortcutsEnabled(on) {
  try { localStorage.setItem(STORE_KEY, on ? "on" : "off"); } catch { /* storage refused: on for this visit only */ }
}

// Where a shortcut may act: the page itself (nothing focused) or the canvas.
const onPageOrCanvas = (target) => target === document.body || target === document.documentElement || target.id === "main-canvas";

// handlers: {toggleTraining(), undo(), draw(), erase(), brushClass(k), showKeys()}
export function installShortcuts(handlers) {
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || !onPageOrCanvas(event.target)) return;
    const shortcut = SHORTCUTS.find((s) => s.match(event));
    if (!shortcut || (shortcut.single && (event.ctrlKey || event.metaKey || !shortcutsEnabled()))) return;
    event.preventDefault();
    handlers[shortcut.action](shortcut.action === "brushClass" ? Number(event.key) - 1 : undefined);
  });
}
