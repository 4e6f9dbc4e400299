// The page's one table of settings. Each row drives the settings form, the
// URL hash (its `key`), validation, and what reaches the worker (`target`:
// the wasm model config, the sampling options, or the page itself). Pure:
// no DOM, imported by node tests. A new setting is one row here (and, if the
// model takes it, one row in core's config_fields.cpp).
import { SAMPLER_NAMES, SAMPLER_TABLE, samplerRow, samplersFor } from "./sampler_table.js";
import { threadsNote } from "./threads.js";

const titlesOf = (objective) => SAMPLER_TABLE.filter((r) => r.objective === objective).map((r) => r.title).join(" or ");

export const VIEW_RANGE = 6; // the reference's [-6, 6]^2 frame
export const MAX_POINTS = 100_000; // in a drawing or an import (core's kMaxDatasetSize)
export const MIN_TRAIN_SIZE = 8;   // the fewest training points of a subset (core's kMinTrainSize)

// Does any point of `xy` lie outside the view?
export const outsideView = (xy) => xy.some((v) => Math.abs(v) > VIEW_RANGE);

// Named sets of settings (core's preset_config; a wasm test checks they
// agree): the reference's; the "best" of docs/ablations.md: a schedule that
// reaches pure noise, a moving average of the weights, and the learning rate
// decaying to 10% over 50,000 steps (the reference's 200 epochs of dino); and
// "quick", the page's default, which learns in seconds (docs/ablations.md,
// "Learning in seconds"): best with a smaller network that trains 3.6x the
// steps per second, and a higher learning rate after a warm-up, decaying
// over 25,000 steps (about ten seconds here).
const REFERENCE_SIZES = { hiddenSize: 128, embeddingSize: 128, learningRate: 1e-3, lrWarmupSteps: 0 };
export const RECIPES = Object.freeze({
  reference: Object.freeze({
    ...REFERENCE_SIZES, numTimesteps: 50, betaSchedule: "linear", betaStart: 1e-4, betaEnd: 0.02,
    emaDecay: 0, lrDecaySteps: 0, lrFinalFraction: 0,
  }),
  best: Object.freeze({
    ...REFERENCE_SIZES, numTimesteps: 100, betaSchedule: "quadratic", betaStart: 1e-4, betaEnd: 0.2,
    emaDecay: 0.999, lrDecaySteps: 50_000, lrFinalFraction: 0.1,
  }),
  quick: Object.freeze({
    hiddenSize: 64, embeddingSize: 32, learningRate: 2e-3, lrWarmupSteps: 200,
    numTimesteps: 100, betaSchedule: "quadratic", betaStart: 1e-4, betaEnd: 0.2,
    emaDecay: 0.999, lrDecaySteps: 25_000, lrFinalFraction: 0.1,
  }),
});

export const RECIPE_NOTES = Object.freeze({
  reference: "The original tiny-diffusion: T = 50 linear betas 1e-4..0.02, constant learning rate. Its dino comes out squashed: ᾱ at T is still 0.6, so sampling starts from the wrong noise.",
  best: "T = 100 quadratic betas reaching pure noise, a 0.999 moving average of the weights, and the learning rate falling to 10% over 50,000 steps: the data's full spread and sharper points (docs/ablations.md).",
  quick: "Best's schedule and weight average with a smaller network (hidden 64, embeddings of 32) that trains 3.6x the steps per second, and a learning rate of 2e-3 after a 200-step warm-up, falling to 10% over 25,000 steps: a dino in seconds, as sharp as best's when left to run (docs/ablations.md).",
  custom: "Your own mix of settings.",
});

// The form's sections, in order.
export const GROUPS = Object.freeze([
  { id: "model", title: "Model", note: "changing one starts a new model" },
  { id: "sampling", title: "Sampling", note: "no new model needed" },
  { id: "training", title: "Training", note: "" },
]);

const start = RECIPES.quick;
// Each row: name (the state's and the wasm config's), key (in the link),
// label, group (a GROUPS id, or null for settings set elsewhere on the page),
// kind (int | number | choice), choices or min/max (+ menu: the values the
// form offers; a link may hold any allowed value), default, target
// (config | sampling | page), and optionally help, even, step, shownWhen,
// optionText (how the form's menu names a value).
// The page starts from the quick recipe (the CLI from the reference); every
// other default is the reference tiny-diffusion's.
export const FIELDS = Object.freeze([
  { name: "dataset", key: "data", label: "dataset", group: null, kind: "choice",
    choices: ["dino", "moons", "line", "circle", "two_moons", "dino_in_circle", "eight_gaussians", "custom"], default: "dino", target: "page" },
  { name: "hiddenSize", key: "hidden", label: "hidden size", group: "model", kind: "int", min: 1, max: 1024,
    menu: [16, 32, 64, 128, 256, 512], default: start.hiddenSize, target: "config" },
  { name: "hiddenLayers", key: "layers", label: "hidden layers", group: "model", kind: "int", min: 0, max: 12,
    menu: [0, 1, 2, 3, 4, 5], default: 3, target: "config" },
  { name: "embeddingSize", key: "emb", label: "embedding size", group: "model", kind: "int", min: 4, max: 512, even: true,
    menu: [8, 16, 32, 64, 128, 256], default: start.embeddingSize, target: "config" },
  { name: "timeEmbedding", key: "temb", label: "time embedding", group: "model", kind: "choice",
    choices: ["sinusoidal", "learnable", "linear", "zero"], default: "sinusoidal", target: "config" },
  { name: "inputEmbedding", key: "iemb", label: "input embedding", group: "model", kind: "choice",
    choices: ["sinusoidal", "learnable", "linear", "identity"], default: "sinusoidal", target: "config" },
  { name: "numTimesteps", key: "T", label: "timesteps T", group: "model", kind: "int", min: 1, max: 1000,
    menu: [5, 10, 25, 50, 100, 250, 1000], default: start.numTimesteps, target: "config" },
  { name: "objective", key: "obj", label: "objective", group: "model", kind: "choice",
    choices: ["eps", "flow"], default: "eps", target: "config",
    help: `What the network predicts: eps, the noise (DDPM, the reference), or flow, the velocity ε − x₀ along the straight path x_t = (1 − t) x₀ + t ε (rectified flow; sampled with ${titlesOf("flow")})` },
  { name: "flowTime", key: "ftime", label: "flow time", group: "model", kind: "choice",
    choices: ["uniform", "squared"], default: "uniform", target: "config", shownWhen: (s) => s.objective === "flow",
    help: "How training draws t: uniform (textbook rectified flow) or squared, t = u² (more training near the data, where the velocity field is sharpest: about half the distance to the data on the dino)" },
  { name: "coupling", key: "cpl", label: "coupling", group: "model", kind: "choice",
    choices: ["independent", "ot"], default: "independent", target: "config", shownWhen: (s) => s.objective === "flow",
    optionText: (v) => (v === "ot" ? "OT" : "independent"),
    help: "How each training batch pairs noise with data: independent (as drawn), or optimal transport (re-paired by the exact assignment of least squared distance, within each class): straighter paths, better samples in few steps" },
  { name: "betaSchedule", key: "sched", label: "beta schedule", group: "model", kind: "choice",
    choices: ["linear", "quadratic", "cosine", "sigmoid"], default: start.betaSchedule, target: "config" },
  { name: "betaStart", key: "b0", label: "beta start", group: "model", kind: "number", min: 1e-6, max: 0.999,
    default: start.betaStart, target: "config" },
  { name: "betaEnd", key: "b1", label: "beta end", group: "model", kind: "number", min: 1e-6, max: 0.999,
    default: start.betaEnd, target: "config" },
  { name: "sampler", key: "sampler", label: "sampler", group: "sampling", kind: "choice",
    choices: SAMPLER_NAMES, default: "ddpm", target: "sampling",
    choicesFor: (s) => samplersFor(s.objective) },
  { name: "denoiser", key: "den", label: "denoiser", group: "sampling", kind: "choice",
    choices: ["network", "ideal"], default: "network", target: "sampling",
    help: "What predicts the noise: the trained network, or the ideal denoiser of your data (the exact E[noise | x_t] the network is trained towards). The ideal one reproduces training points: memorisation" },
  { name: "samplerSteps", key: "steps", label: "steps", group: "sampling", kind: "int", min: 1, max: 1000, step: 1,
    default: 10, target: "sampling", shownWhen: (s) => samplerRow(s.sampler).takesSteps },
  { name: "eta", key: "eta", label: "eta (noise)", group: "sampling", kind: "number", min: 0, max: 1, step: 0.1,
    default: 0, target: "sampling", shownWhen: (s) => samplerRow(s.sampler).takesEta },
  { name: "clipX0", key: "clip", label: "clip x0 at ±", group: "sampling", kind: "number", min: 0, max: 1e6, step: 0.5,
    default: 0, target: "sampling", shownWhen: (s) => samplerRow(s.sampler).takesClipX0,
    help: "Clamp the predicted data to this bound (0: off). Few steps over a schedule that ends near pure noise need it" },
  // Set by the class panel (class_panel.js): which class the samples are
  // drawn from (-1: each in the data's proportions) and the guidance scale.
  { name: "sampleClass", key: "cls", label: "class to draw", group: null, kind: "int", min: -1, max: 7, step: 1,
    default: -1, target: "sampling" },
  { name: "guidance", key: "w", label: "guidance", group: null, kind: "number", min: 0, max: 20, step: 0.25,
    default: 1, target: "sampling" },
  { name: "learningRate", key: "lr", label: "learning rate", group: "training", kind: "number", min: 1e-6, max: 10,
    menu: [1e-2, 3e-3, 2e-3, 1e-3, 3e-4, 1e-4, 1e-5], default: start.learningRate, target: "config" },
  { name: "batchSize", key: "batch", label: "batch size", group: "training", kind: "int", min: 1, max: 4096,
    menu: [8, 16, 32, 64, 128, 256], default: 32, target: "config" },
  { name: "weightDecay", key: "wd", label: "weight decay", group: "training", kind: "number", min: 0, max: 1,
    menu: [0, 0.001, 0.01, 0.1], default: 0.01, target: "config", help: "AdamW's decoupled weight decay (PyTorch's default 0.01)" },
  { name: "seed", key: "seed", label: "seed", group: "training", kind: "int", min: 0, max: 2 ** 31 - 1, step: 1,
    default: 0, target: "config", help: "Seed of the preset's points, the initial weights and the batches" },
  { name: "emaDecay", key: "ema", label: "weight average", group: "training", kind: "number", min: 0, max: 0.99999,
    menu: [0, 0.99, 0.995, 0.999, 0.9999], default: start.emaDecay, target: "config",
    help: "Sample from a moving average of the weights (0: off)" },
  { name: "lrDecaySteps", key: "decay", label: "lr decay steps", group: "training", kind: "int", min: 0, max: 10_000_000,
    step: 1000, default: start.lrDecaySteps, target: "config",
    help: "Steps over which the learning rate falls along a cosine (0: constant)" },
  { name: "lrWarmupSteps", key: "warm", label: "lr warm-up steps", group: "training", kind: "int", min: 0, max: 10_000_000,
    step: 100, default: start.lrWarmupSteps, target: "config",
    help: "Steps over which the learning rate rises from 0 to its value (0: none)" },
  { name: "lrFinalFraction", key: "lrfin", label: "final lr fraction", group: "training", kind: "number", min: 0, max: 1,
    step: 0.05, default: start.lrFinalFraction, target: "config", help: "The last learning rate, as a fraction of the first" },
  { name: "trainSize", key: "n", label: "training points", group: "training", kind: "int", min: 0, max: MAX_POINTS,
    menu: [0, 16, 32, 64, 128, 256, 1024], default: 0, target: "config", optionText: (v) => (v === 0 ? "all" : String(v)),
    help: "Train on this many of the points, drawn with the seed, and hold out the rest (0: all). The held-out points of a preset are fresh draws of its distribution: the Memorisation view scores copies against them" },
  { name: "threads", key: "threads", label: "threads", group: "training", kind: "int", min: 0, max: 16,
    menu: [0, 1, 2, 3, 4, 6, 8], default: 0, target: "page", optionText: (v) => (v === 0 ? "auto" : String(v)),
    help: "Threads a training step uses (0: auto, one fewer than the cores, so the live view keeps one). More than one needs a cross-origin isolated page; a batch splits into parts of at least 16 points",
    note: (threading) => threadsNote(threading) },
  { name: "classDropout", key: "cdrop", label: "class dropout", group: "training", kind: "number", min: 0, max: 1,
    menu: [0, 0.05, 0.1, 0.2, 0.3, 0.5], default: 0.1, target: "config", shownWhen: (s, classes) => classes > 0,
    help: "A drawing with classes: the share of training points whose class is hidden, so that one network also learns the unconditional model that guidance needs" },
]);

const BY_NAME = new Map(FIELDS.map((f) => [f.name, f]));
export const field = (name) => BY_NAME.get(name);

export const DEFAULTS = Object.freeze(Object.fromEntries(FIELDS.map((f) => [f.name, f.default])));

// Returns the value if it is allowed for `name` (numbers may come as text),
// else undefined.
export function checkSetting(name, value) {
  const f = BY_NAME.get(name);
  if (!f) return undefined;
  if (f.kind === "choice") return f.choices.includes(value) ? value : undefined;
  if (typeof value !== "number" && (typeof value !== "string" || value.trim() === "")) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < f.min || n > f.max) return undefined;
  if (f.kind === "int" && !Number.isInteger(n)) return undefined;
  if (f.even && n % 2 !== 0) return undefined;
  return n;
}

// What no single row can say: a problem with the settings as a whole, or null.
export function crossCheck(s) {
  if (s.betaStart > s.betaEnd) return "beta start must not exceed beta end";
  if (s.trainSize > 0 && s.trainSize < MIN_TRAIN_SIZE) return `training points must be 0 (all) or at least ${MIN_TRAIN_SIZE}`;
  if (s.coupling === "ot" && s.objective !== "flow") return "optimal-transport coupling is for the flow objective";
  if (!samplersFor(s.objective).includes(s.sampler)) return `a ${s.objective} model samples with ${samplersFor(s.objective).join(", ")}`;
  return null;
}

// The sampler a new objective starts with when the chosen one is not its own
// (the page's choice: Heun draws flow models best at the default steps).
const FIRST_SAMPLER = Object.freeze({ eps: "ddpm", flow: "heun" });

// The settings after the user sets `name` to `value`, with what follows
// from it: a new objective brings a sampler it takes (and noise prediction
// independent coupling); OT coupling brings the flow objective.
export function withChange(s, name, value) {
  const next = { ...s, [name]: value };
  if (name === "objective" && !samplersFor(value).includes(next.sampler)) next.sampler = FIRST_SAMPLER[value];
  if (name === "objective" && value !== "flow") next.coupling = "independent"; // the only coupling of noise prediction
  if (name === "coupling" && value === "ot" && next.objective !== "flow") return withChange(next, "objective", "flow");
  return next;
}

// The recipe whose every setting `s` has, or "custom".
export function recipeOf(s) {
  for (const [name, recipe] of Object.entries(RECIPES)) {
    if (Object.entries(recipe).every(([k, v]) => s[k] === v)) return name;
  }
  return "custom";
}

// The model config the wasm API takes (`target: "config"` rows) for data of
// `numClasses` classes (classes.js numClassesOf).
export function modelConfig(s, numClasses = 0) {
  return { ...Object.fromEntries(FIELDS.filter((f) => f.target === "config").map((f) => [f.name, s[f.name]])), numClasses };
}

// The sampling options the wasm API takes (only those the sampler takes, per
// sampler_table.js; a noise-prediction sampler's steps capped
// at T) for a model of `numClasses` classes (0: unconditional, which takes
// no class; a class the model lacks draws all).
export function samplingOptions(s, numClasses = 0) {
  const classes = numClasses > 0
    ? { classLabel: s.sampleClass < numClasses ? s.sampleClass : -1, guidance: s.guidance } : {};
  const row = samplerRow(s.sampler);
  return {
    sampler: s.sampler,
    // eps samplers take at most T steps; a flow's steps are not tied to T
    ...(row.takesSteps ? { steps: row.objective === "eps" ? Math.min(s.samplerSteps, s.numTimesteps) : s.samplerSteps } : {}),
    ...(row.takesEta ? { eta: s.eta } : {}),
    ...(row.takesClipX0 ? { clipX0: s.clipX0 } : {}),
    denoiser: s.denoiser, ...classes,
  };
}

// Does changing `name` need a new model?
export const needsNewModel = (name) => BY_NAME.get(name)?.target === "config";
