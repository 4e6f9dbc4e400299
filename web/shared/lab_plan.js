// The memorisation lab's experiment (the Memorisation view): which
// training-set sizes it trains, for how long, when it evaluates, with which
// network. The regime is docs/memorisation.md's, in which both training
// times of Bonnaire et al. (NeurIPS 2025) show within minutes: the reference
// network narrowed to 64 hidden units, AdamW at a constant 1e-3, batch 32,
// T = 50 linear betas. Pure: the worker and node tests import it.

export const LAB = Object.freeze({
  sizes: Object.freeze([16, 64, 256]),
  steps: 20_000,
  firstEvaluation: 100,
  evaluations: 14,      // log-spaced from firstEvaluation to steps, after the untrained model's
  samples: 500,         // drawn at each evaluation
  fresh: 2000,          // held-out points at most: the test set and the base rate
  margin: 0.2,          // tau_mem: copies beyond the base rate by this share of the samples
  sliceSteps: 250,      // steps between two looks at the worker's messages
  config: Object.freeze({
    hiddenSize: 64, hiddenLayers: 3, embeddingSize: 128, timeEmbedding: "sinusoidal", inputEmbedding: "sinusoidal",
    numTimesteps: 50, betaSchedule: "linear", betaStart: 1e-4, betaEnd: 0.02, objective: "eps",
    learningRate: 1e-3, batchSize: 32, emaDecay: 0, lrDecaySteps: 0, lrWarmupSteps: 0, numClasses: 0,
  }),
});

// The evaluation steps: `count` log-spaced from `first` to `last`, rounded, without repeats.
export function evaluationSteps(first = LAB.firstEvaluation, last = LAB.steps, count = LAB.evaluations) {
  const steps = new Set();
  for (let k = 0; k < count; k++) {
    const e = count === 1 ? Math.log10(last) : Math.log10(first) + ((Math.log10(last) - Math.log10(first)) * k) / (count - 1);
    steps.add(Math.round(10 ** e));
  }
  return [...steps].sort((a, b) => a - b);
}

// The sizes a set of `count` points allows: each keeps at least as many
// points held out as it trains on (the test set and the base rate need them).
export const labSizes = (count) => LAB.sizes.filter((n) => 2 * n <= count);
