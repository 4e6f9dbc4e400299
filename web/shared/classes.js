// Classes of points: their colours and what a drawing's labels mean for the
// model. Pure: no DOM, imported by node tests. Labels are an Int32Array
// beside the points, one class 0..7 per point; a drawing whose labels are
// all 0 has no classes (an unconditional model, as the reference's).

export const MAX_CLASSES = 8; // core's Limits::kMaxClasses

// One colour per class (data drawn lighter, samples in full).
export const CLASS_COLORS = Object.freeze(["#4f46e5", "#e4572e", "#17a673", "#d4a20b", "#c2379b", "#1c9bd6", "#7a5230", "#6b7280"]);
export const CLASS_NAMES = Object.freeze(["indigo", "red", "green", "yellow", "pink", "blue", "brown", "grey"]);

// The classes a model of these labels needs: the largest label + 1, or 0
// when no label is above 0.
export function numClassesOf(labels) {
  let max = 0;
  for (const l of labels) if (l > max) max = l;
  return max > 0 ? max + 1 : 0;
}

// How many points each of the classes has (numClasses counts).
export function classCounts(labels, numClasses) {
  const counts = new Array(numClasses).fill(0);
  for (const l of labels) if (l < numClasses) counts[l]++;
  return counts;
}

// The points of class k (interleaved x, y).
export function pointsOfClass(points, labels, k) {
  const out = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === k) out.push(points[2 * i], points[2 * i + 1]);
  return Float32Array.from(out);
}
