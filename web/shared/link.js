// The URL hash: settings that differ from the defaults, and a drawing of up
// to MAX_POINTS_IN_HASH points (with their classes), so that a link
// reproduces a setup. Pure: no
// DOM, imported by node tests (and fuzzed there: it is the page's one parser
// of text from outside).
import { FIELDS, DEFAULTS, checkSetting, crossCheck } from "./settings.js";
import { samplersFor } from "./sampler_table.js";
import { numClassesOf } from "./classes.js";

export const MAX_POINTS_IN_HASH = 2000;
const MAX_HASH_LENGTH = 100_000;
const POINT_SCALE = 100; // 0.01 resolution

// Points (Float32Array of interleaved x, y) <-> URL-safe base64 of int16 pairs.
export function encodePoints(xy) {
  const q = new Int16Array(xy.length);
  for (let i = 0; i < xy.length; i++) {
    q[i] = Math.max(-32767, Math.min(32767, Math.round(xy[i] * POINT_SCALE)));
  }
  return toBase64Url(new Uint8Array(q.buffer));
}

const toBase64Url = (bytes) => {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

// URL-safe base64 -> bytes, or null.
function fromBase64Url(text) {
  if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text)) return null;
  let binary;
  try {
    binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// Labels (one class 0..7 per point) <-> URL-safe base64 of one byte each.
export const encodeLabels = (labels) => toBase64Url(Uint8Array.from(labels));
export function decodeLabels(text) {
  const bytes = fromBase64Url(text);
  if (!bytes || bytes.some((b) => b > 7)) return null;
  return Int32Array.from(bytes);
}

export function decodePoints(text) {
  const bytes = fromBase64Url(text);
  if (!bytes || bytes.length % 4 !== 0) return null;
  const q = new Int16Array(bytes.buffer);
  const xy = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) xy[i] = q[i] / POINT_SCALE;
  return xy;
}

// settings (+ points, and their labels if any is above 0, when custom and
// small) -> "key=value&..." (no '#').
export function toHash(settings, points, labels = null) {
  const parts = [];
  for (const f of FIELDS) {
    if (settings[f.name] !== DEFAULTS[f.name]) parts.push(`${f.key}=${encodeURIComponent(settings[f.name])}`);
  }
  if (settings.dataset === "custom" && points && points.length / 2 <= MAX_POINTS_IN_HASH) {
    parts.push(`pts=${encodePoints(points)}`);
    if (labels && numClassesOf(labels) > 0) parts.push(`lbl=${encodeLabels(labels)}`);
  }
  return parts.join("&");
}

// "key=value&..." -> {settings, points, labels, problems, drawingMissing}. Never throws;
// anything unknown, malformed or out of range is dropped and named in
// `problems`. labels: one per point (all 0 when the link has none).
export function fromHash(hash) {
  const settings = { ...DEFAULTS };
  const problems = [];
  let points = null, labels = null;
  const text = typeof hash === "string" ? hash.replace(/^#/, "") : "";
  if (text.length > MAX_HASH_LENGTH) {
    problems.push("the link is too long and was ignored");
    return { settings, points, labels, problems };
  }
  // A Map, not an object: "constructor" or "__proto__" in a link must not
  // find Object.prototype's members (found by tests/node_unit/web/link.test.mjs).
  const byKey = new Map(FIELDS.map((f) => [f.key, f]));
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
    if (key === "lbl") {
      labels = decodeLabels(raw);
      if (!labels) problems.push("the classes of the drawn points in the link are damaged");
      continue;
    }
    const f = byKey.get(key);
    if (!f) {
      problems.push(`unknown setting "${key.slice(0, 20)}"`);
      continue;
    }
    const value = checkSetting(f.name, raw);
    if (value === undefined) problems.push(`${f.label} "${raw.slice(0, 20)}" is not allowed`);
    else settings[f.name] = value;
  }
  if (settings.betaStart > settings.betaEnd) {
    problems.push("beta start must not exceed beta end; both reset");
    settings.betaStart = DEFAULTS.betaStart;
    settings.betaEnd = DEFAULTS.betaEnd;
  }
  const conflict = crossCheck(settings);  // what is left: a sampler of the other objective
  if (conflict) {
    problems.push(`${conflict}; the sampler was reset`);
    settings.sampler = samplersFor(settings.objective)[0];
  }
  // A drawing too large for a link (or a damaged one): the default preset,
  // and `drawingMissing` so the page can look for its own copy.
  const drawingMissing = settings.dataset === "custom" && !points;
  if (drawingMissing) settings.dataset = DEFAULTS.dataset;
  if (points && labels && labels.length !== points.length / 2) {
    problems.push("the classes in the link do not match its points; all points are class 0");
    labels = null;
  }
  if (points && !labels) labels = new Int32Array(points.length / 2);
  return { settings, points, labels, problems, drawingMissing };
}
