// The page's keyboard shortcuts (while focus is not in a form field).
export function installShortcuts({ toggleTraining, undo, setTool, setBrushClass }) {
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea")) return;
    if (event.key === " ") { event.preventDefault(); toggleTraining(); }
    else if ((event.ctrlKey || event.metaKey) && event.key === "z") { event.preventDefault(); undo(); }
    else if (event.key === "b") setTool("draw");
    else if (event.key === "e") setTool("erase");
    else if (/^[1-8]$/.test(event.key)) setBrushClass(Number(event.key) - 1);
  });
}
