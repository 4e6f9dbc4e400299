// The samplers, as core's table (core/src/samplers.cpp, sampler_facts.hpp)
// states them: the page's only source of sampler facts. Every caption,
// banner, setting and preview plan reads these rows; the node test
// tests/node_unit/wasm/module.test.mjs checks that they equal the wasm
// module's samplerTable() field for field. Pure.
export const SAMPLER_TABLE = Object.freeze([
  { name: "ddpm", title: "DDPM",
    summary: "ancestral sampling: each step removes the predicted noise and adds fresh noise, over all T steps",
    objective: "eps", predicts: "noise", takesSteps: false, takesEta: false, takesClipX0: false, callsPerStep: 1, bestInFewSteps: false },
  { name: "ddim", title: "DDIM",
    summary: "each step jumps to an earlier timestep along the predicted noise (eta adds fresh noise)",
    objective: "eps", predicts: "noise", takesSteps: true, takesEta: true, takesClipX0: true, callsPerStep: 1, bestInFewSteps: false },
  { name: "dpm-solver", title: "DPM-Solver++(2M)",
    summary: "DDIM's jump from a second-order extrapolation of the last two data predictions",
    objective: "eps", predicts: "noise", takesSteps: true, takesEta: true, takesClipX0: true, callsPerStep: 1, bestInFewSteps: true },
  { name: "euler", title: "Euler",
    summary: "each step moves the points along the predicted velocity, from t = 1 (noise) to 0 (data)",
    objective: "flow", predicts: "velocity", takesSteps: true, takesEta: false, takesClipX0: false, callsPerStep: 1, bestInFewSteps: true },
  { name: "heun", title: "Heun",
    summary: "each step averages the velocity at its start and at an Euler step's end (second order)",
    objective: "flow", predicts: "velocity", takesSteps: true, takesEta: false, takesClipX0: false, callsPerStep: 2, bestInFewSteps: false },
].map(Object.freeze));

export const SAMPLER_NAMES = Object.freeze(SAMPLER_TABLE.map((row) => row.name));

// The row of a sampler name (undefined for a name core does not know).
export const samplerRow = (name) => SAMPLER_TABLE.find((row) => row.name === name);

// The names of the samplers a model of this objective takes.
export const samplersFor = (objective) => SAMPLER_TABLE.filter((row) => row.objective === objective).map((row) => row.name);

// The sampler of this objective that draws best in a few steps: what a
// preview short of time stands in with.
export const fewStepSamplerFor = (objective) =>
  SAMPLER_TABLE.find((row) => row.objective === objective && row.bestInFewSteps).name;

// What a model of this objective predicts: "noise" or "velocity".
export const predictedQuantity = (objective) => SAMPLER_TABLE.find((row) => row.objective === objective).predicts;
