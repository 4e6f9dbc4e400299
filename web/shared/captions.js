// The sentences that explain sampling and the animations, built from core's
// sampler table (sampler_table.js) and the model's objective, so that they
// are true of every sampler and of both objectives. Pure.
import { predictedQuantity, samplerRow } from "./sampler_table.js";

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

// The banner when the sampling options change: which sampler, how its steps
// move the points, and the options it takes.
export function samplingBanner(options) {
  const row = samplerRow(options.sampler);
  const steps = row.takesSteps ? `, ${plural(options.steps, "step")}` : "";
  const eta = row.takesEta ? `, eta ${options.eta}` : "";
  const clip = row.takesClipX0 && options.clipX0 ? `, data predictions clipped at ±${options.clipX0}` : "";
  return `Sampling with ${row.title}${steps}${eta}${clip}: ${row.summary}.`;
}

// The forward animation of a model of this objective over `frames` steps.
export function forwardCaption(objective, frames) {
  if (objective === "flow") {
    return `Forward: each point moves along a straight line from the data to its own noise, x_t = (1 − t) x₀ + t ε, from t = 0 to 1 in ${plural(frames, "step")}.`;
  }
  return `Forward: each step keeps √(1−β) of a point and adds √β of fresh noise, until t = ${frames}.`;
}

// A followed point of the reverse animation, and the data prediction the
// dashed line points to: from the noise (eps) or the velocity (flow).
export function followCaption(objective) {
  const prediction = objective === "flow" ? "x̂₀ = x_t − t v̂" : "x̂₀ = (x_t − √(1−ᾱ_t) ε̂) / √ᾱ_t";
  return `Following one point (green): its path from noise to a sample, and a dashed line to ${prediction}, the data the model predicts it becomes at this step. Scrub t to watch the prediction sharpen.`;
}

// The reverse animation: `frames` steps of `sampler` on a model of this
// objective, trained for `trainingSteps` steps.
export function reverseCaption({ sampler, objective, frames, trainingSteps }) {
  const row = samplerRow(sampler);
  const after = `(after ${trainingSteps.toLocaleString()} training steps)`;
  if (objective === "flow") {
    return `Reverse: from pure noise, ${row.title} follows the model's predicted ${predictedQuantity(objective)} from t = 1 to 0 in ${plural(frames, "step")} ${after}.`;
  }
  return `Reverse: from pure noise, ${row.title} removes the model's predicted ${predictedQuantity(objective)} in ${plural(frames, "step")} ${after}.`;
}
