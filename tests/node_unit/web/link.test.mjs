// web/shared/link.js under node: every setting's round trip through the URL hash,
// and a fuzz of the parser (the page's one parser of outside text): random
// and mutated hashes must never throw and must always yield settings the
// page accepts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULTS, FIELDS, RECIPES, checkSetting, crossCheck, recipeOf, withChange } from "../../../web/shared/settings.js";
import { samplersFor } from "../../../web/shared/sampler_table.js";
import { MAX_POINTS_IN_HASH, fromHash, toHash, decodePoints, encodePoints, decodeLabels, encodeLabels } from "../../../web/shared/link.js";

// xorshift32: a reproducible stream without Math.random.
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

function assertValid(settings) {
  for (const name of Object.keys(DEFAULTS)) {
    assert.notEqual(checkSetting(name, settings[name]), undefined, `${name} = ${settings[name]}`);
  }
  assert.ok(settings.betaStart <= settings.betaEnd);
}

test("settings survive the hash round trip, recipes included", () => {
  for (const recipe of Object.values(RECIPES)) {
    const settings = { ...DEFAULTS, ...recipe, hiddenSize: 64, dataset: "line" };
    const back = fromHash(toHash(settings, null));
    assert.deepEqual(back.problems, []);
    assert.deepEqual(back.settings, settings);
    assert.equal(recipeOf(back.settings), recipeOf(settings));
  }
  assert.equal(recipeOf(DEFAULTS), "quick"); // the page starts from the quick recipe
  assert.equal(recipeOf({ ...DEFAULTS, ...RECIPES.reference }), "reference");
  assert.equal(toHash({ ...DEFAULTS }, null), "");
  assert.equal(recipeOf({ ...DEFAULTS, ...RECIPES.best, numTimesteps: 50 }), "custom");
});

// A value of `f` other than its default: from its menu or choices, else its range.
function otherValue(f) {
  const candidates = f.kind === "choice" ? f.choices : f.menu || [f.max, f.min, (f.min + f.max) / 2];
  return candidates.find((v) => v !== f.default && checkSetting(f.name, v) !== undefined &&
    crossCheck(withChange(DEFAULTS, f.name, v)) === null);
}

test("every field of the table survives the hash round trip, alone and all together", () => {
  const all = { ...DEFAULTS };
  for (const f of FIELDS) {
    const value = otherValue(f);
    assert.notEqual(value, undefined, `no other value for ${f.name}`);
    const settings = withChange(DEFAULTS, f.name, value);
    const points = f.name === "dataset" && value === "custom" ? new Float32Array([1, 2]) : null;
    const hash = toHash(settings, points);
    assert.match(hash, new RegExp(`(^|&)${f.key}=`), `${f.name} is not in ${hash}`);
    const back = fromHash(hash);
    assert.deepEqual(back.problems, [], `${f.name}: ${back.problems}`);
    assert.equal(back.settings[f.name], value, f.name);
    all[f.name] = value;
  }
  all.dataset = "line";
  all.sampler = samplersFor(all.objective).at(-1);  // the other values together pair a flow model with an eps sampler
  assert.equal(crossCheck(all), null);
  assert.deepEqual(fromHash(toHash(all, null)).settings, all);
  // Keys are unique, and none is the points' key.
  const keys = FIELDS.map((f) => f.key);
  assert.equal(new Set(keys).size, keys.length);
  assert.ok(!keys.includes("pts"));
});

test("drawn points round-trip at 0.01 resolution", () => {
  const xy = new Float32Array([0, 0, 1.234, -5.678, 327.67, -327.67]);
  const back = decodePoints(encodePoints(xy));
  assert.equal(back.length, xy.length);
  for (let i = 0; i < xy.length; i++) assert.ok(Math.abs(back[i] - xy[i]) <= 0.005 + 1e-6, `${back[i]} vs ${xy[i]}`);
  assert.equal(decodePoints("!!"), null);
  assert.equal(decodePoints("AAA"), null); // not whole pairs
});

test("the classes of a drawing round-trip with its points", () => {
  const xy = new Float32Array([0, 0, 1, 1, -2.5, 3.25]);
  const labels = new Int32Array([0, 3, 7]);
  assert.deepEqual(decodeLabels(encodeLabels(labels)), labels);
  assert.equal(decodeLabels("CA"), null); // a byte above 7
  const hash = toHash({ ...DEFAULTS, dataset: "custom" }, xy, labels);
  assert.match(hash, /lbl=/);
  const back = fromHash(hash);
  assert.deepEqual(back.labels, labels);
  assert.deepEqual(back.problems, []);
  // All class 0: no classes, no labels in the link (and links read back as class 0).
  const plain = toHash({ ...DEFAULTS, dataset: "custom" }, xy, new Int32Array(3));
  assert.doesNotMatch(plain, /lbl=/);
  assert.deepEqual(fromHash(plain).labels, new Int32Array(3));
  // Labels that do not fit the points are dropped, with a word.
  const wrong = fromHash(`data=custom&pts=${encodePoints(xy)}&lbl=${encodeLabels([1, 2])}`);
  assert.deepEqual(wrong.labels, new Int32Array(3));
  assert.match(wrong.problems[0], /do not match its points/);
});

test("fuzz: 20,000 random and mutated hashes never throw and always give valid settings", () => {
  const next = rng(12345);
  const alphabet = "abcdefghijklmnopqrstuvwxyzT0123456789=&%#-_.+/<>\"'`;:{}()[] \u00e9\u0000\ud83d\ude00";
  const keys = FIELDS.map((f) => f.key).concat(["pts", "lbl", "data", "", "__proto__", "constructor"]);
  const good = toHash({ ...DEFAULTS, ...RECIPES.best, dataset: "custom" }, new Float32Array([0, 0, 1, 1, -2.5, 3.25]), new Int32Array([0, 1, 2]));
  let problems = 0;
  for (let i = 0; i < 20000; i++) {
    let hash;
    const kind = i % 3;
    if (kind === 0) { // random text
      hash = Array.from({ length: Math.floor(next() * 80) }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
    } else if (kind === 1) { // well-formed keys, random values
      hash = Array.from({ length: 1 + Math.floor(next() * 6) }, () => {
        const key = keys[Math.floor(next() * keys.length)];
        const value = ["", "NaN", "-1", "1e309", "0x10", "%", "%E0%A4%A", "<script>", String(next() * 2000 - 1000),
          "AAAA", "A", "best"][Math.floor(next() * 12)];
        return `${key}=${value}`;
      }).join("&");
    } else { // a good hash with a few bytes changed
      const chars = [...good];
      for (let k = 0; k < 1 + Math.floor(next() * 4); k++) {
        chars[Math.floor(next() * chars.length)] = alphabet[Math.floor(next() * alphabet.length)];
      }
      hash = chars.join("");
    }
    const result = fromHash(hash);
    assertValid(result.settings);
    if (result.points) assert.ok(result.points.every(Number.isFinite));
    if (result.points) assert.ok(result.labels.length === result.points.length / 2 && result.labels.every((l) => l >= 0 && l <= 7));
    if (result.settings.dataset === "custom") assert.ok(result.points && result.points.length > 0 || result.points);
    assert.ok(result.problems.every((p) => typeof p === "string" && p.length < 200));
    problems += result.problems.length > 0;
  }
  assert.ok(problems > 10000, `only ${problems} hashes were flagged`); // the fuzzer does reach the checks
  // Too long: ignored as a whole.
  assert.match(fromHash("T=" + "1".repeat(200000)).problems[0], /too long/);
  assert.equal(fromHash({ not: "a string" }).settings.numTimesteps, DEFAULTS.numTimesteps);
});

test("a drawing too large for a link: the default preset, and the page told to look for its own copy", () => {
  const big = new Float32Array(2 * (MAX_POINTS_IN_HASH + 1));
  const hash = toHash({ ...DEFAULTS, dataset: "custom" }, big);
  assert.doesNotMatch(hash, /pts=/);
  const read = fromHash(hash);
  assert.equal(read.drawingMissing, true);
  assert.equal(read.settings.dataset, DEFAULTS.dataset);
  assert.equal(read.points, null);
  const small = fromHash(toHash({ ...DEFAULTS, dataset: "custom" }, new Float32Array([1, 2])));
  assert.equal(small.drawingMissing, false);
  assert.equal(fromHash("").drawingMissing, false);
});
