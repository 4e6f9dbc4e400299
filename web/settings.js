// Settings: the reference defaults, their allowed values, and their round
// trip through the URL hash (so a link reproduces a setup). Pure functions:
// no DOM, testable under node.

export const VIEW_RANGE = 6; // the reference's [-6, 6]^2 frame

// Named sets of settings (core's preset_config; a wasm test checks they
// agree): the reference's, and the "best" of docs/ablations.md: a schedule
// that reaches pure noise, a moving average of the weights, and the learning
// rate decaying to 10% over 50,000 steps (the reference's 200 epochs of dino).
export const RECIPES = Object.freeze({
  reference: Object.freeze({
    numTimesteps: 50, betaSchedule: "linear", betaStart: 1e-4, betaEnd: 0.02,
    emaDecay: 0, lrDecaySteps: 0, lrFinalFraction: 0,
  }),
  best: Object.freeze({
    numTimesteps: 100, betaSchedule: "quadratic", betaStart: 1e-4, betaEnd: 0.2,
    emaDecay: 0.999, lrDecaySteps: 50_000, lrFinalFraction: 0.1,
  }),
});

// The page starts from the best recipe (the CLI from the reference): people
// meet the full dino first; "reference" is one click away. Everything else
// is the reference tiny-diffusion's.
export const DEFAULTS = Object.freeze({
  dataset: "dino",
  learningRate: 1e-3,
  batchSize: 32,
  hiddenSize: 128,
  hiddenLayers: 3,
  embeddingSize: 128,
  timeEmbedding: "sinusoidal",
  inputEmbedding: "sinusoidal",
  ...RECIPES.best, // numTimesteps, betaSchedule, betaStart, betaEnd, emaDecay, lrDecaySteps, lrFinalFraction
  seed: 0,
  sampler: "ddpm",
  samplerSteps: 10,
  eta: 0,
});

// The recipe whose every setting `s` has, or "custom".
export function recipeOf(s) {
  for (const [name, recipe] of Object.entries(RECIPES)) {
    if (Object.entries(recipe).every(([k, v]) => s[k] === v)) return name;
  }
  return "custom";
}

// Each setting: its hash key, kind and allowed values or range.
export const FIELDS = Object.freeze({
  dataset: { key: "data", kind: "choice", choices: ["dino", "moons", "line", "circle", "custom"] },
  learningRate: { key: "lr", kind: "number", min: 1e-6, max: 10 },
  batchSize: { key: "batch", kind: "int", min: 1, max: 4096 },
  hiddenSize: { key: "hidden", kind: "int", min: 1, max: 1024 },
  hiddenLayers: { key: "layers", kind: "int", min: 0, max: 12 },
  embeddingSize: { key: "emb", kind: "int", min: 4, max: 512, even: true },
  timeEmbedding: { key: "temb", kind: "choice", choices: ["sinusoidal", "learnable", "linear", "zero"] },
  inputEmbedding: { key: "iemb", kind: "choice", choices: ["sinusoidal", "learnable", "linear", "identity"] },
  numTimesteps: { key: "T", kind: "int", min: 1, max: 1000 },
  betaSchedule: { key: "sched", kind: "choice", choices: ["linear", "quadratic", "cosine", "sigmoid"] },
  betaStart: { key: "b0", kind: "number", min: 1e-6, max: 0.999 },
  betaEnd: { key: "b1", kind: "number", min: 1e-6, max: 0.999 },
  seed: { key: "seed", kind: "int", min: 0, max: 2 ** 31 - 1 },
  sampler: { key: "sampler", kind: "choice", choices: ["ddpm", "ddim", "dpm-solver"] },
  samplerSteps: { key: "steps", kind: "int", min: 1, max: 1000 },
  eta: { key: "eta", kind: "number", min: 0, max: 1 },
  emaDecay: { key: "ema", kind: "number", min: 0, max: 0.99999 },
  lrDecaySteps: { key: "decay", kind: "int", min: 0, max: 10_000_000 },
  lrFinalFraction: { key: "lrfin", kind: "number", min: 0, max: 1 },
});

// The sampling options the wasm API takes (DDIM steps capped at T).
export function samplingOptions(s) {
  return s.sampler !== "ddpm"
    ? { sampler: s.sampler, steps: Math.min(s.samplerSteps, s.numTimesteps), eta: s.eta }
    : { sampler: "ddpm" };
}

// The drawn points travel in the hash while they are few enough.
export const MAX_POINTS_IN_HASH = 2000;
const MAX_HASH_LENGTH = 100_000;
const POINT_SCALE = 100; // 0.01 resolution

// Returns the value if it is allowed for `name`, else undefined.
export function checkSetting(name, value) {
  const f = Object.hasOwn(FIELDS, name) ? FIELDS[name] : undefined;
  if (!f) return undefined;
  if (f.kind === "choice") return f.choices.includes(value) ? value : undefined;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n) || n < f.min || n > f.max) return undefined;
  if (f.kind === "int" && !Number.isInteger(n)) return undefined;
  if (f.even && n % 2 !== 0) return undefined;
  return n;
}

// Points (Float32Array of interleaved x, y) <-> URL-safe base64 of int16 pairs.
export function encodePoints(xy) {
  const q = new Int16Array(xy.length);
  for (let i = 0; i < xy.length; i++) {
    q[i] = Math.max(-32767, Math.min(32767, Math.round(xy[i] * POINT_SCALE)));
  }
  const bytes = new Uint8Array(q.buffer);
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodePoints(text) {
  if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text)) return null;
  let binary;
  try {
    binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  if (binary.length % 4 !== 0) return null;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const q = new Int16Array(bytes.buffer);
  const xy = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) xy[i] = q[i] / POINT_SCALE;
  return xy;
}

// settings (+ points when custom and small) -> "key=value&..." (no '#').
export function toHash(settings, points) {
  const parts = [];
  for (const [name, f] of Object.entries(FIELDS)) {
    if (settings[name] !== DEFAULTS[name]) parts.push(`${f.key}=${encodeURIComponent(settings[name])}`);
  }
  if (settings.dataset === "custom" && points && points.length / 2 <= MAX_POINTS_IN_HASH) {
    parts.push(`pts=${encodePoints(points)}`);
  }
  return parts.join("&");
}

// "key=value&..." -> {settings, points, problems}. Never throws; anything
// unknown, malformed or out of range is dropped and named in `problems`.
export function fromHash(hash) {
  const settings = { ...DEFAULTS };
  const problems = [];
  let points = null;
  let text = typeof hash === "string" ? hash.replace(/^#/, "") : "";
  if (text.length > MAX_HASH_LENGTH) {
    problems.push("the link is too long and was ignored");
    return { settings, points, problems };
  }
  // A Map, not an object: "constructor" or "__proto__" in a link must not
  // find Object.prototype's members (found by tests/web/settings.test.mjs).
  const byKey = new Map(Object.entries(FIELDS).map(([name, f]) => [f.key, name]));
  for (const part of text.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    let raw = eq < 0 ? "" : part.slice(eq + 1);
    try {
      raw = decodeURIComponent(raw);
    } catch {
      problems.push(`"${key.slice(0, 20)}" is not readable`);
      continue;
    }
    if (key === "pts") {
      points = decodePoints(raw);
      if (!points) problems.push("the drawn points in the link are damaged");
      continue;
    }
    const name = byKey.get(key);
    if (!name) {
      problems.push(`unknown setting "${key.slice(0, 20)}"`);
      continue;
    }
    const f = FIELDS[name];
    const value = checkSetting(name, f.kind === "choice" ? raw : Number(raw));
    if (value === undefined) problems.push(`${name} "${raw.slice(0, 20)}" is not allowed`);
    else settings[name] = value;
  }
  if (settings.betaStart > settings.betaEnd) {
    problems.push("betaStart exceeds betaEnd; both reset");
    settings.betaStart = DEFAULTS.betaStart;
    settings.betaEnd = DEFAULTS.betaEnd;
  }
  if (settings.dataset === "custom" && !points) settings.dataset = DEFAULTS.dataset;
  return { settings, points, problems };
}

// The model config the wasm API takes, from the settings.
export function modelConfig(s) {
  return {
    hiddenSize: s.hiddenSize,
    hiddenLayers: s.hiddenLayers,
    embeddingSize: s.embeddingSize,
    timeEmbedding: s.timeEmbedding,
    inputEmbedding: s.inputEmbedding,
    numTimesteps: s.numTimesteps,
    betaSchedule: s.betaSchedule,
    betaStart: s.betaStart,
    betaEnd: s.betaEnd,
    learningRate: s.learningRate,
    batchSize: s.batchSize,
    seed: s.seed,
    emaDecay: s.emaDecay,
    lrDecaySteps: s.lrDecaySteps,
    lrFinalFraction: s.lrFinalFraction,
  };
}

// Parses CSV text of x,y rows (header optional) into points, or throws an
// Error naming the line. Mirrors core's parser for the page's imports.
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
