// web/shared/settings.js under node: the field table is well formed, its defaults
// are the quick recipe's, and what it sends to the worker is what the wasm
// API takes (tests/node_unit/wasm/module.test.mjs checks the table against core's).
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULTS, FIELDS, GROUPS, RECIPES, checkSetting, crossCheck, modelConfig, needsNewModel, recipeOf, samplingOptions } from "../../../web/shared/settings.js";

test("every row is complete, and its default and menu are allowed values", () => {
  const groups = new Set(GROUPS.map((g) => g.id));
  const names = new Set();
  for (const f of FIELDS) {
    assert.ok(!names.has(f.name), `${f.name} twice`);
    names.add(f.name);
    for (const key of ["name", "key", "label", "kind", "target"]) assert.equal(typeof f[key], "string", `${f.name}.${key}`);
    assert.ok(["int", "number", "choice"].includes(f.kind), f.name);
    assert.ok(["config", "sampling", "page"].includes(f.target), f.name);
    assert.ok(f.group === null || groups.has(f.group), `${f.name}: group ${f.group}`);
    assert.equal(checkSetting(f.name, f.default), f.default, `${f.name}'s default`);
    if (f.kind === "choice") assert.ok(Array.isArray(f.choices) && f.choices.length > 0, f.name);
    else assert.ok(f.min <= f.max, f.name);
    for (const v of f.menu || []) assert.equal(checkSetting(f.name, v), v, `${f.name}'s menu value ${v}`);
  }
});

test("checkSetting takes numbers as text, refuses what is out of range", () => {
  assert.equal(checkSetting("hiddenSize", "64"), 64);
  assert.equal(checkSetting("hiddenSize", 64.5), undefined);
  assert.equal(checkSetting("hiddenSize", ""), undefined);
  assert.equal(checkSetting("embeddingSize", 7), undefined); // sinusoidal needs it even
  assert.equal(checkSetting("learningRate", "1e-3"), 1e-3);
  assert.equal(checkSetting("learningRate", "NaN"), undefined);
  assert.equal(checkSetting("sampler", "lms"), undefined);
  assert.equal(checkSetting("constructor", 1), undefined);
  assert.equal(crossCheck({ ...DEFAULTS, betaStart: 0.5, betaEnd: 0.1 }), "beta start must not exceed beta end");
  assert.equal(crossCheck(DEFAULTS), null);
});

test("the page starts from the quick recipe; recipes are recognised", () => {
  assert.equal(recipeOf(DEFAULTS), "quick");
  assert.equal(recipeOf({ ...DEFAULTS, ...RECIPES.reference }), "reference");
  assert.equal(recipeOf({ ...DEFAULTS, ...RECIPES.best }), "best");
  assert.equal(recipeOf({ ...DEFAULTS, numTimesteps: 50 }), "custom");
});

test("the worker gets the config rows and the sampling options", () => {
  const config = modelConfig(DEFAULTS);
  assert.deepEqual(Object.keys(config), [...FIELDS.filter((f) => f.target === "config").map((f) => f.name), "numClasses"]);
  assert.equal(config.numClasses, 0);
  assert.equal(modelConfig(DEFAULTS, 3).numClasses, 3);
  assert.equal(config.numTimesteps, 100);
  assert.ok(!("sampler" in config) && !("dataset" in config));
  assert.deepEqual(samplingOptions(DEFAULTS), { sampler: "ddpm", denoiser: "network" });
  assert.deepEqual(samplingOptions({ ...DEFAULTS, sampler: "ddim", samplerSteps: 500, eta: 0.5 }), { sampler: "ddim", steps: 100, eta: 0.5, clipX0: 0, denoiser: "network" });
  assert.ok(needsNewModel("hiddenSize") && !needsNewModel("sampler") && !needsNewModel("dataset"));
  // A conditional model takes the class (one it has) and the guidance; an unconditional one neither.
  assert.deepEqual(samplingOptions({ ...DEFAULTS, sampleClass: 1, guidance: 3 }, 2), { sampler: "ddpm", denoiser: "network", classLabel: 1, guidance: 3 });
  assert.equal(samplingOptions({ ...DEFAULTS, sampleClass: 5 }, 2).classLabel, -1);
  assert.equal("guidance" in samplingOptions({ ...DEFAULTS, guidance: 3 }, 0), false);
});
