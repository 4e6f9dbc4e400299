// How the live view samples, given what a denoising step costs here. Pure:
// imported by the preview worker and by node tests.
//
// While training runs, a preview must be quick: the canvas should show
// weights at most ~1 s old, and a preview replaces the last one only when it
// is done, so each may take only a fraction of that (previewBudget). When
// the chosen sampler fits in that budget the preview uses it; when it does not (DDPM over a
// long schedule, a big network, a slow machine), the preview stands in
// the objective's best few-step sampler (sampler_table.js) with as many
// steps as fit (deterministic, eta 0, so the preview evolves smoothly from
// the same noise). Once training stops, the
// preview draws with the chosen sampler whatever it costs (on fewer points
// when 1000 would take over a second).

// The reference plots 1000 samples (its eval batch), and the live view shows
// as many whenever a preview of them fits: 1000 points cover the dino's thin
// parts (neck, feet) that 400 leave gaps in, so a shape reads sooner
// (docs/ablations.md, "How many points the live view shows").
export const PREVIEW_POINTS = 1000;
// Fewer points, most first, when a preview of PREVIEW_POINTS with at least
// GOOD_STEPS steps does not fit the budget (big networks, slow machines):
// a few more steps do more for the picture than more points from too few.
const POINT_LADDER = [PREVIEW_POINTS, 400, 200, 100];
const GOOD_STEPS = 12;
// Stopped training is drawn with the chosen sampler whatever it costs, but
// with 400 points when 1000 would take longer than this (DDPM over a long
// schedule on a big network: seconds in which a new preview waits), and
// before the cost is known (the page's first, untrained draw).
const FINAL_BUDGET_MS = 1000;
const FINAL_FEWER_POINTS = 400;
export const PREVIEW_BUDGET_MS = 300; // the most any machine gets (planPreview's default)

// How much of the machine the live view may take, by its number of cores
// (navigator.hardwareConcurrency): the time one preview may take while
// training, and the share of a core the preview worker may keep busy. With
// a spare core it takes most of one; on two cores the page, the browser and
// training share what is left, so previews are cheaper and rest between;
// on one it takes a small share. A preview shows the weights of its start
// until the next one is done, so they are at most about
// budget x (1 + 1 / duty) old: 0.5 s with these (docs/performance.md).
export function previewBudget(cores) {
  if (cores >= 4) return { budgetMs: 250, duty: 0.9 };
  if (cores >= 2) return { budgetMs: 100, duty: 0.25 };
  return { budgetMs: 80, duty: 0.15 };
}

// The reported core count can be wrong (WebKitGTK reports 4 on a 2-core
// machine; privacy settings report fewer or a random count), so the live
// view starts with the budget of at most two cores (it rests between
// previews) and takes a larger one only when the machine measurably has
// the core for it: the training worker times its slices while a preview
// computes and while none does (LiveViewShare), and when training keeps
// KEPT_FOR_SPARE_CORE of its rate while previews compute, the preview has a
// core of its own and takes the budget of the reported cores.
export const KEPT_FOR_SPARE_CORE = 0.9;
export function measuredBudget(cores, trainingKept) {
  if (trainingKept >= KEPT_FOR_SPARE_CORE) return previewBudget(cores);
  return previewBudget(Math.min(cores, 2));
}

// The training worker's side: its slices' steps and milliseconds while the
// live view computes and while it does not; `kept` is the share of its rate
// training keeps while it computes, once both have MIN_SLICES slices
// (null before).
export class LiveViewShare {
  static MIN_SLICES = 8;
  constructor() { this.busy = { steps: 0, ms: 0, slices: 0 }; this.idle = { steps: 0, ms: 0, slices: 0 }; }
  record(previewComputing, steps, ms) {
    const bucket = previewComputing ? this.busy : this.idle;
    bucket.steps += steps;
    bucket.ms += ms;
    bucket.slices += 1;
  }
  get kept() {
    const { busy, idle } = this;
    if (busy.slices < LiveViewShare.MIN_SLICES || idle.slices < LiveViewShare.MIN_SLICES || !(idle.steps > 0)) return null;
    return (busy.steps / busy.ms) / (idle.steps / idle.ms);
  }
}
const MIN_FAST_STEPS = 4;

import { fewStepSamplerFor, samplerRow } from "./sampler_table.js";

// Steps a sampler option set takes over a schedule of T steps: all T for a
// sampler that takes no step count; a flow's steps are not tied to T.
export function samplerSteps(options, T) {
  const row = samplerRow(options.sampler);
  if (!row.takesSteps) return T;
  const steps = Math.max(1, options.steps || T);
  return row.objective === "flow" ? steps : Math.min(T, steps);
}
// Network calls of a run: the sampler's calls a step (Heun: 2).
// (Guidance other than 0 and 1 asks the network twice a step: with and without the class.)
const guided = (options) => options.guidance !== undefined && options.guidance !== 0 && options.guidance !== 1;
export const networkCalls = (options, T) =>
  samplerSteps(options, T) * samplerRow(options.sampler).callsPerStep * (guided(options) ? 2 : 1);

// -> {sampler, steps, eta, clipX0, denoiser, classes, points, fast}
// (classes: {classLabel, guidance} of a conditional model, or {}). `dataBound`: the data's extent
// (max |coordinate|), which bounds the stand-in's data predictions: a few
// steps over a schedule that ends near pure noise scatter them otherwise
// (core's SampleOptions::clip_x0).
export function planPreview({ options, numTimesteps: T, msPerPointStep, final, dataBound = 0, points = PREVIEW_POINTS,
  budgetMs = PREVIEW_BUDGET_MS }) {
  const denoiser = options.denoiser || "network";
  const classes = options.guidance !== undefined ? { classLabel: options.classLabel, guidance: options.guidance } : {};
  const chosen = { sampler: options.sampler, steps: samplerSteps(options, T), eta: options.eta || 0,
    clipX0: options.clipX0 || 0, denoiser, classes, points, fast: false };
  const chosenOnFewer = { ...chosen, points: Math.min(points, FINAL_FEWER_POINTS) };
  if (!(msPerPointStep > 0)) return chosenOnFewer;
  if (final) return networkCalls(options, T) * points * msPerPointStep <= FINAL_BUDGET_MS ? chosen : chosenOnFewer;
  // Network calls a step (guidance asks twice) and those that fit the budget for n points.
  const callsPerStep = guided(options) ? 2 : 1;
  const callsThatFit = (n) => Math.floor(budgetMs / (msPerPointStep * n));
  const ladder = [points, ...POINT_LADDER.filter((n) => n < points)];
  const wanted = Math.min(networkCalls(options, T), GOOD_STEPS * callsPerStep);
  const fewer = ladder.find((n) => wanted <= callsThatFit(n)) || ladder[ladder.length - 1];
  if (networkCalls(options, T) <= callsThatFit(fewer)) return { ...chosen, points: fewer };
  // A ladder of step counts, so that small changes in measured cost do not
  // change the plan (and the picture) from one preview to the next.
  const stepLadder = [200, 100, 50, 25, 12, 8, MIN_FAST_STEPS];
  const steps = Math.min(chosen.steps, stepLadder.find((k) => k * callsPerStep <= callsThatFit(fewer)) || MIN_FAST_STEPS);
  const standIn = samplerRow(fewStepSamplerFor(samplerRow(options.sampler).objective));
  const clipX0 = standIn.takesClipX0 ? standInClip(dataBound) : 0;
  return { sampler: standIn.name, steps, eta: 0, clipX0, denoiser, classes, points: fewer, fast: true };
}

// The clamp of the data predictions when the page picks few steps itself (the
// live view's stand-in, the sampler sweep): a little beyond the data's extent
// `dataBound` (max |coordinate|); 0 (off) without data.
export const standInClip = (dataBound) => (dataBound > 0 ? 1.2 * dataBound : 0);

// The wasm API's sampling options for a plan.
export function planOptions(plan) {
  const row = samplerRow(plan.sampler);
  return {
    sampler: plan.sampler,
    ...(row.takesSteps ? { steps: plan.steps } : {}),
    ...(row.takesEta ? { eta: plan.eta } : {}),
    ...(row.takesClipX0 ? { clipX0: plan.clipX0 } : {}),
    denoiser: plan.denoiser,
    ...(plan.classes || {}),
  };
}

// At most SCORE_POINTS of the data, evenly spread through it: what the live
// view's distance is measured against (the whole set can be 100,000 points).
export const SCORE_POINTS = 4000;
export function scoreSubset(xy) {
  const n = xy.length / 2;
  if (n <= SCORE_POINTS) return xy.slice();
  const stride = n / SCORE_POINTS;
  const out = new Float32Array(2 * SCORE_POINTS);
  for (let i = 0; i < SCORE_POINTS; i++) {
    const j = Math.floor(i * stride);
    out[2 * i] = xy[2 * j];
    out[2 * i + 1] = xy[2 * j + 1];
  }
  return out;
}
