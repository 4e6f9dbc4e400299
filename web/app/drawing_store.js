// The user's last drawing, kept in this browser (localStorage), so that a
// reload - offline, or of a link that could not hold it (links keep up to
// 2000 points) - brings it back. One drawing: the last one with points.
const KEY = "tinydiff.lastDrawing";

const toBase64 = (typed) => {
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
};
const fromBase64 = (text, Type) => {
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return new Type(bytes.buffer);
};

// Keeps points (interleaved x, y) and labels (one per point); an empty
// drawing keeps the last one. Storage that is full or turned off keeps nothing.
export function saveDrawing(points, labels) {
  if (!points.length) return;
  try {
    localStorage.setItem(KEY, JSON.stringify({ xy: toBase64(points), labels: toBase64(labels) }));
  } catch (e) {
    console.warn(`tinydiff: this browser did not keep the drawing (${e.message})`);
  }
}

// {points, labels} of the last drawing kept, or null.
export function loadDrawing() {
  try {
    const kept = JSON.parse(localStorage.getItem(KEY) || "null");
    if (!kept) return null;
    const points = fromBase64(kept.xy, Float32Array), labels = fromBase64(kept.labels, Int32Array);
    if (points.length === 0 || labels.length !== points.length / 2 || !points.every(Number.isFinite)) return null;
    return { points, labels };
  } catch {
    return null; // unreadable: as if nothing were kept
  }
}
