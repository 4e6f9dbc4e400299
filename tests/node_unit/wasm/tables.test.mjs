// The wasm module's tables and declarations against the page's and the
// package's (node --test): the recipes, the settings table, the sampler
// table and the captions that read it, the limits, and tinydiff.d.ts.
// Imported as the npm package a user installs (package_test.sh).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import createTinyDiff from "tinydiff";

const M = await createTinyDiff();

const small = { hiddenSize: 32, hiddenLayers: 1, embeddingSize: 16, seed: 1 };

test("presets: the page's recipes are core's, and the weight average samples", async () => {
  const { RECIPES, modelConfig, DEFAULTS } = await import(new URL("../../../web/shared/settings.js", import.meta.url).href);
  assert.deepEqual(M.presetNames(), ["reference", "best", "quick"]);
  for (const name of M.presetNames()) {
    const core = M.presetConfig(name, RECIPES[name].lrDecaySteps); // the page plans its decays in steps
    for (const [key, value] of Object.entries(RECIPES[name])) assert.equal(core[key], value, `${name}.${key}`);
  }
  assert.throws(() => M.presetConfig("fast", 1), /preset must be one of reference, best, quick/);
  assert.throws(() => new M.Diffusion({ emaDecay: 1 }), /emaDecay must be a number from 0 to/);
  assert.throws(() => new M.Diffusion({ lrDecaySteps: -1 }), /lrDecaySteps must be an integer from 0/);
  // The page's settings carry the extras into the model.
  const config = { ...modelConfig({ ...DEFAULTS, ...RECIPES.best }), ...small };
  const averaged = new M.Diffusion(config);
  assert.equal(averaged.config().emaDecay, 0.999);
  assert.equal(averaged.config().lrDecaySteps, 50000);
  const plain = new M.Diffusion({ ...config, emaDecay: 0 });
  for (const m of [averaged, plain]) {
    m.setDataset("moons", 500, 0);
    m.train(50);
  }
  // Same training stream, same weights; only the averaged model samples from its average.
  assert.deepEqual(averaged.parametersView().slice(), plain.parametersView().slice());
  assert.notDeepEqual(averaged.sample(20, 1), plain.sample(20, 1));
  averaged.delete();
  plain.delete();
});

test("core's field table is what the config takes, and the page's table fits inside it", async () => {
  const { FIELDS, DEFAULTS, modelConfig } = await import(new URL("../../../web/shared/settings.js", import.meta.url).href);
  const core = new Map(M.configFields().map((f) => [f.jsName, f]));
  const d = M.defaultConfig();
  assert.deepEqual(Object.keys(d), [...core.keys()]); // config() names every field of the table, in its order
  for (const [name, f] of core) assert.equal(d[name], f.default, name);
  for (const f of FIELDS.filter((row) => row.target === "config")) {
    const c = core.get(f.name);
    assert.ok(c, `${f.name} is not a core config field`);
    if (f.kind === "choice") {
      assert.equal(c.kind, "choice", f.name);
      for (const v of f.choices) assert.ok(c.choices.includes(v), `${f.name}: ${v}`);
    } else {
      assert.equal(c.kind === "int", f.kind === "int", f.name);
      assert.ok(f.min >= c.min && (!c.minExclusive || f.min > c.min) && f.max <= c.max, `${f.name}: [${f.min}, ${f.max}] vs core [${c.min}, ${c.max}]`);
    }
  }
  // Every value the page can send builds a model.
  const model = new M.Diffusion({ ...modelConfig(DEFAULTS), hiddenSize: 8, hiddenLayers: 1, embeddingSize: 8 });
  model.delete();
});

test("the page's sampler table is core's, field for field, and its captions read it", async () => {
  const { SAMPLER_TABLE } = await import(new URL("../../../web/shared/sampler_table.js", import.meta.url).href);
  const { forwardCaption, reverseCaption, samplingBanner } = await import(new URL("../../../web/shared/captions.js", import.meta.url).href);
  assert.deepEqual(SAMPLER_TABLE.map((row) => ({ ...row })), M.samplerTable());
  for (const row of M.samplerTable()) {
    assert.ok(samplingBanner({ sampler: row.name, steps: 7, eta: 0.5, clipX0: 0 }).includes(row.title), row.name);
    assert.ok(reverseCaption({ sampler: row.name, objective: row.objective, frames: 7, trainingSteps: 10 }).includes(`predicted ${row.predicts}`), row.name);
  }
  // A flow model's forward animation is the straight path, not DDPM's noising.
  assert.match(forwardCaption("flow", 50), /straight line/);
  assert.doesNotMatch(forwardCaption("flow", 50), /β/);
  assert.match(forwardCaption("eps", 50), /√β/);
});

test("limits: what core applies, as the page states it", () => {
  const limits = M.limits();
  assert.equal(limits.maxModelFileBytes, 512 * 1024 * 1024);
  assert.equal(limits.qualityRadius, 0.1);
  assert.equal(limits.memorisedRadius, 0.01);
  const a = new Float32Array([0, 0]), b = new Float32Array([limits.qualityRadius * 0.99, 0]);
  assert.equal(M.qualityScore(a, b).precision, 1);  // the default radius is the stated one
  assert.equal(M.qualityScore(a, new Float32Array([limits.qualityRadius * 1.01, 0])).precision, 0);
});

// tinydiff.d.ts declares the whole API and nothing else: the methods of a
// model and the module's functions, against what the module really has.
test("the TypeScript declarations name exactly the API", () => {
  const dts = fs.readFileSync(new URL("../../node_modules/tinydiff/tinydiff.d.ts", import.meta.url), "utf8");
  const declared = (name) => {
    const body = dts.match(new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`))[1];
    return [...body.matchAll(/^ {2}(\w+)\??[(:]/gm)].map((m) => m[1]).sort();
  };
  const model = new M.Diffusion();
  const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(model))
    .filter((k) => k !== "constructor" && typeof model[k] === "function" && !k.startsWith("_") && !["clone", "isAliasOf", "isDeleted", "deleteLater"].includes(k));
  model.delete();
  // delete() comes from Embind's base class, which every model has.
  assert.deepEqual(declared("Diffusion"), [...methods, "delete"].sort());
  const moduleApi = ["Diffusion", ...Object.keys(M).filter((k) => /^[a-z]/.test(k) && typeof M[k] === "function" && (M[k].argCount !== undefined || M[k].overloadTable !== undefined))];
  assert.deepEqual(declared("TinyDiffModule"), moduleApi.sort());
  const config = M.defaultConfig();
  assert.deepEqual(declared("DiffusionConfig"), Object.keys(config).sort());
  assert.deepEqual(declared("SampleOptions"), ["classLabel", "clipX0", "denoiser", "eta", "guidance", "sampler", "steps"]);
});
