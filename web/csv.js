// Points as CSV text, in and out. Pure: no DOM, imported by node tests.
// The reader mirrors core's parser (core/src/io.cpp) for the page's imports.

// Parses CSV text of x,y rows (header optional) into points, or throws an
// Error naming the line.
export function parseCsv(text, maxPoints = 100_000) {
  const out = [];
  const lines = String(text).replace(/^\uFEFF/, "").split(/\r?\n/);
  let seenRow = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith("#")) continue;
    const fields = line.split(/\s*[,;\t]\s*|\s+/);
    const nums = fields.map((f) => (f === "" ? NaN : Number(f)));
    const numeric = fields.length === 2 && nums.every((v) => !Number.isNaN(v));
    if (!numeric && !seenRow && nums.every((v) => Number.isNaN(v))) {
      seenRow = true; // a header
      continue;
    }
    seenRow = true;
    if (fields.length !== 2) throw new Error(`line ${i + 1}: expected 2 columns (x, y), found ${fields.length}`);
    for (let k = 0; k < 2; k++) {
      if (Number.isNaN(nums[k])) throw new Error(`line ${i + 1}: "${fields[k].slice(0, 30)}" is not a number`);
      if (!Number.isFinite(nums[k]) || Math.abs(nums[k]) > 1e6) {
        throw new Error(`line ${i + 1}: coordinates must be finite numbers within ±1e6`);
      }
    }
    if (out.length / 2 >= maxPoints) throw new Error(`more than ${maxPoints.toLocaleString()} points`);
    out.push(nums[0], nums[1]);
  }
  if (!out.length) throw new Error("no points found (expected rows of x,y)");
  return new Float32Array(out);
}

export function toCsv(xy) {
  const rows = ["x,y"];
  for (let i = 0; i + 1 < xy.length; i += 2) rows.push(`${+xy[i].toPrecision(6)},${+xy[i + 1].toPrecision(6)}`);
  return rows.join("\n") + "\n";
}
