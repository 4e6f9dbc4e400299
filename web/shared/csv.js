// Points as CSV text, in and out. Pure: no DOM, imported by node tests.
// The reader mirrors core's parser (core/src/io.cpp) for the page's imports:
// rows of x,y or x,y,label (a class 0..7), the first row deciding which.

// Parses CSV text (header optional) into {xy: Float32Array, labels:
// Int32Array | null}, or throws an Error naming the line.
export function parseCsv(text, maxPoints = 100_000) {
  const out = [];
  const labels = [];
  const lines = String(text).replace(/^\uFEFF/, "").split(/\r?\n/);
  let seenRow = false;
  let columns = 0, firstRow = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith("#")) continue;
    const fields = line.split(/\s*[,;\t]\s*|\s+/);
    const nums = fields.map((f) => (f === "" ? NaN : Number(f)));
    if (!seenRow && nums.every((v) => Number.isNaN(v))) {
      seenRow = true; // a header
      continue;
    }
    seenRow = true;
    if (!columns) {
      if (fields.length !== 2 && fields.length !== 3) {
        throw new Error(`line ${i + 1}: expected 2 columns (x, y) or 3 (x, y, label), found ${fields.length}`);
      }
      columns = fields.length;
      firstRow = i + 1;
    } else if (fields.length !== columns) {
      throw new Error(`line ${i + 1}: expected ${columns} columns ${columns === 3 ? "(x, y, label)" : "(x, y)"} as on line ${firstRow}, found ${fields.length}` +
        (columns === 3 ? ": a label on some rows only" : ""));
    }
    for (let k = 0; k < 2; k++) {
      if (Number.isNaN(nums[k])) throw new Error(`line ${i + 1}: "${fields[k].slice(0, 30)}" is not a number`);
      if (!Number.isFinite(nums[k]) || Math.abs(nums[k]) > 1e6) {
        throw new Error(`line ${i + 1}: coordinates must be finite numbers within ±1e6`);
      }
    }
    if (columns === 3) {
      if (!/^\d+$/.test(fields[2]) || nums[2] > 7) {
        throw new Error(`line ${i + 1}: the label "${fields[2].slice(0, 30)}" must be a class number from 0 to 7`);
      }
      labels.push(nums[2]);
    }
    if (out.length / 2 >= maxPoints) throw new Error(`more than ${maxPoints.toLocaleString()} points`);
    out.push(nums[0], nums[1]);
  }
  if (!out.length) throw new Error("no points found (expected rows of x,y or x,y,label)");
  return { xy: new Float32Array(out), labels: columns === 3 ? Int32Array.from(labels) : null };
}

// x,y rows, or x,y,label rows when `labels` is given.
export function toCsv(xy, labels = null) {
  const rows = [labels ? "x,y,label" : "x,y"];
  for (let i = 0; i + 1 < xy.length; i += 2) {
    rows.push(`${+xy[i].toPrecision(6)},${+xy[i + 1].toPrecision(6)}${labels ? `,${labels[i / 2]}` : ""}`);
  }
  return rows.join("\n") + "\n";
}
