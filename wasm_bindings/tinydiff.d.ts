// TypeScript declarations of the tinydiff wasm API: what bindings.cpp exposes
// (the tests check that every method the module has is declared here and
// the reverse, and tsc checks example/train_and_sample.ts against it).

/** Hyperparameters, camelCase: core's field table (`Module.configFields()`). Missing ones take the reference defaults. */
export interface DiffusionConfig {
  hiddenSize?: number;
  hiddenLayers?: number;
  embeddingSize?: number;
  timeEmbedding?: TimeEmbedding;
  inputEmbedding?: InputEmbedding;
  /** Classes of a conditional model (0..8; 0: unconditional). Labels 0..numClasses-1 go to setData. */
  numClasses?: number;
  inputScale?: number;
  numTimesteps?: number;
  /** "eps" predicts the noise (DDPM); "flow" the velocity eps - x0 of rectified flow. */
  objective?: Objective;
  /** Flow objective: how training draws t, "uniform" (default) or "squared" (t = u², more training near the data). */
  flowTime?: "uniform" | "squared";
  betaSchedule?: BetaSchedule;
  betaStart?: number;
  betaEnd?: number;
  batchSize?: number;
  learningRate?: number;
  weightDecay?: number;
  adamBeta1?: number;
  adamBeta2?: number;
  adamEps?: number;
  gradClip?: number;
  seed?: number;
  emaDecay?: number;
  lrDecaySteps?: number;
  lrFinalFraction?: number;
  /** Steps over which the learning rate rises linearly from 0 (0: none). */
  lrWarmupSteps?: number;
  /** A conditional model: the share of training labels replaced by "no class" (default 0.1), for guidance. */
  classDropout?: number;
  /** Train on this many of the points, a subset drawn with the seed, holding out the rest (0, the default: all; else at least 8). */
  trainSize?: number;
  /** A flow model: independent (noise as drawn) or ot (each batch re-paired by the optimal assignment, within each class). */
  coupling?: "independent" | "ot";
}

export type TimeEmbedding = "sinusoidal" | "learnable" | "linear" | "zero";
export type InputEmbedding = "sinusoidal" | "learnable" | "linear" | "identity";
export type BetaSchedule = "linear" | "quadratic" | "cosine" | "sigmoid";
/** ddpm, ddim, dpm-solver sample "eps" models; euler and heun "flow" models. */
export type SamplerName = "ddpm" | "ddim" | "dpm-solver" | "euler" | "heun";
export type Objective = "eps" | "flow";
/** What predicts the noise: the trained network, or the ideal denoiser of the training data (it memorises). */
export type DenoiserName = "network" | "ideal";
/** The reference's four, then two with classes: two_moons (one class a moon), dino_in_circle. */
export type DatasetName = "dino" | "moons" | "line" | "circle" | "two_moons" | "dino_in_circle" | "eight_gaussians";
export type PresetName = "reference" | "best";

/** Every field, as `model.config()` and `Module.defaultConfig()` return it. */
export type FullConfig = Required<DiffusionConfig>;

/** How to sample: DDPM takes all T steps; DDIM and DPM-Solver++(2M) take `steps` (1..T, 0: T). */
export interface SampleOptions {
  sampler?: SamplerName;
  steps?: number;
  /** 0 (deterministic) .. 1 (as noisy as DDPM); DDIM and DPM-Solver only. */
  eta?: number;
  /** > 0: clamp the predicted data to [-clipX0, clipX0] (DDIM and DPM-Solver). */
  clipX0?: number;
  /** Default "network"; "ideal" needs training data. */
  denoiser?: DenoiserName;
  /** A conditional model: the class to draw, 0..numClasses-1; -1 (default): each sample a class in the data's proportions. */
  classLabel?: number;
  /** A conditional model: uncond + guidance (cond - uncond); 0 unconditional, 1 conditional (default), > 1 guided. */
  guidance?: number;
}

/** A conditional model's predictions for one class (`predict`, `idealPrediction`): classLabel -1 (default) is unconditional. */
export type ClassOptions = Pick<SampleOptions, "classLabel" | "guidance">;

/** The reverse process step by step (`reverseProcess`). */
export interface ReverseProcess {
  /** (K + 1) x n x 2: frame 0 the noise, the last the samples. */
  frames: Float32Array;
  /** K x n x 2: the data prediction x0_hat made from frame k. */
  predictedData: Float32Array;
  /** Eps models: the K timesteps visited, descending: frame k was denoised at timesteps[k] (empty for flow). */
  timesteps: Int32Array;
  /** The K times visited: the timesteps (eps), or t from 1 down (flow). */
  times: Float32Array;
  /** Each sample's class (a conditional model; empty otherwise). */
  labels: Int32Array;
}

/** One row of `samplerSweep`. */
export interface SweepRow {
  sampler: SamplerName;
  denoiser: DenoiserName;
  steps: number;
  chamfer: number;
  /** Exact 2-Wasserstein distance to the training data (at most 2000 samples and points). */
  w2: number;
  /** Share of samples within 0.01 of a training point. */
  memorised: number;
  msPerSample: number;
}

export interface SweepOptions {
  /** Also sweep with the ideal denoiser (default true). */
  ideal?: boolean;
  clipX0?: number;
  /** Step counts (default 1, 2, 5, 10, 20, 50, T up to T). */
  steps?: number[];
}

export interface Schedule {
  betas: Float32Array;
  alphasCumprod: Float32Array;
}

export interface QualityScore {
  chamfer: number;
  sampleToData: number;
  dataToSample: number;
  precision: number;
  coverage: number;
}

/** reflowPairs: each path's noise (t = 1) and where the solve took it (t = 0). */
export interface ReflowPairs {
  noise: Float32Array;
  xy: Float32Array;
  /** A conditional model's class of each pair (empty otherwise). */
  labels: Int32Array;
}

/** Steps, or null where not reached. */
export interface MemorisationTimes {
  tauGen: number | null;
  tauFall: number | null;
  tauMem: number | null;
}

/** core/memorisation.hpp: copies of training points, measured against their base rate. */
export interface MemorisationScore {
  copyShare: number;
  baseRate: number;
  /** copyShare - baseRate: the memorisation. */
  excess: number;
  /** Symmetric Chamfer distance of the samples to the fresh points. */
  testDistance: number;
  /** ... to the training points. */
  trainDistance: number;
}

/** One row of core's config field table. */
export interface ConfigFieldInfo {
  name: string;
  jsName: keyof DiffusionConfig;
  kind: "int" | "number" | "choice";
  min?: number;
  max?: number;
  minExclusive?: boolean;
  choices?: string[];
  default: number | string;
}

/** Points as interleaved x, y: a Float32Array (or a plain array of numbers). */
export type Points = Float32Array | ArrayLike<number>;
/** One class label 0..7 per point: an Int32Array (or a plain array of integers). */
export type Labels = Int32Array | ArrayLike<number>;

/** A preset with its labels (`makePoints`). */
export interface PointSet {
  xy: Float32Array;
  /** Empty for a preset without classes. */
  labels: Int32Array;
}

/** A diffusion model being trained. Embind objects are not garbage collected: call delete(). */
export interface Diffusion {
  config(): FullConfig;
  /** A conditional model (numClasses > 0) needs one label per point; an unconditional one refuses labels. */
  setData(xy: Points, labels?: Labels): void;
  /** A preset; its labels only if the model has classes. */
  setDataset(name: DatasetName, n: number, seed: number): void;
  /** The points it trains on (with trainSize, a subset of those given). */
  data(): Float32Array;
  /** The given points it does not train on (trainSize), with their labels: empty when it trains on all. */
  heldOut(): PointSet;
  /** The labels of the data (empty for an unconditional model). */
  labels(): Int32Array;
  numPoints(): number;
  numClasses(): number;
  /** Each class's share of the training data (what classLabel -1 draws from). */
  classProportions(): Float32Array;
  /** The class of each of the n samples `sample(n, seed, options)` draws (empty for an unconditional model). */
  sampleClasses(n: number, seed: number, options?: SampleOptions): Int32Array;
  /** One AdamW step on the next shuffled batch; returns its loss. */
  step(): number;
  /** `steps` steps; returns their mean loss. */
  train(steps: number): number;
  /**
   * Threads a training step may use (1..64): a batch splits in shards of at least 16 points, whose gradients
   * are summed in a fixed order (the same results for the same count). Only the threaded build
   * (tinydiff-threads.js, which needs cross-origin isolation) starts threads, up to 1 + its `poolSize`; the
   * single-threaded build trains on one whatever is asked. threads() says how many run.
   */
  setThreads(threads: number): void;
  threads(): number;
  stepCount(): number;
  epoch(): number;
  stepsPerEpoch(): number;
  batchSize(): number;
  diverged(): boolean;
  numTimesteps(): number;
  numParameters(): number;
  /** n x 2 samples; the same seed gives the same samples. */
  sample(n: number, seed: number, options?: SampleOptions): Float32Array;
  /** Every state of the reverse process: (steps + 1) x n x 2, frame 0 the noise. */
  sampleFrames(n: number, seed: number, options?: SampleOptions): Float32Array;
  /** The model as a .safetensors file. */
  saveModel(): Uint8Array;
  /** Replaces weights and configuration with a .safetensors file's; keeps the data. */
  loadModel(bytes: Uint8Array): void;
  /** The forward (noising) chain from n data points: (T + 1) x n x 2. */
  forwardFrames(n: number, seed: number): Float32Array;
  /** The same chain with the class of each point it follows (labels empty for an unconditional model). */
  forwardProcess(n: number, seed: number): { frames: Float32Array; labels: Int32Array };
  /** The network's prediction, n x 2: the noise at the integer timestep t (0 <= t < T), or for a flow model the velocity at t in [0, 1]. */
  predict(xy: Points, t: number, options?: ClassOptions): Float32Array;
  /** The ideal denoiser's prediction over the training data, n x 2: E[eps | x_t] (eps), E[eps - x0 | x_t] (flow, t in [0, 1]). */
  idealPrediction(xy: Points, t: number, options?: ClassOptions): Float32Array;
  /** log q(x_t) at each point: the exact forward marginal of the training data at t. */
  marginalLogDensity(xy: Points, t: number): Float32Array;
  /** Mean squared noise error at each of the T timesteps, over the same noised training points for either denoiser. */
  lossByTimestep(pointsPerT: number, seed: number, options?: { denoiser?: DenoiserName }): Float32Array;
  /** The same loss on other points (fresh points of the data's distribution), drawn and noised with the same stream: the train / test gap. Unconditional models. */
  lossByTimestepOn(xy: Points, pointsPerT: number, seed: number): Float32Array;
  schedule(): Schedule;
  /** The reverse process with each step's data prediction. */
  reverseProcess(n: number, seed: number, options?: SampleOptions): ReverseProcess;
  /** Samplers side by side: distance to the data against steps, with the network and the ideal denoiser. */
  samplerSweep(n: number, seed: number, options?: SweepOptions): SweepRow[];
  /** A flow model's reflow pairs: n noise points and where options' ODE solve (euler or heun) takes them. */
  reflowPairs(n: number, seed: number, options: SampleOptions): ReflowPairs;
  /** Train on these fixed (data, noise) pairs from now on (a reflow; a flow model with independent coupling). */
  setPairs(xy: Points, noise: Points, labels?: Labels): void;
  hasPairs(): boolean;
  /** The exact log-density log p(x) (nats) of an unconditional model at each point: x carried to the noise by RK4 over `steps` (default 100) along a flow model's ODE, or a noise-prediction model's probability-flow ODE (to N(0, I) at the last timestep), plus the integral of the exact divergence. Throws for a model with classes. */
  logDensity(xy: Points, steps?: number): Float64Array;
  /** Liu et al.'s straightness of a flow model's paths: E ∫ |(X1 − X0) − v(X_t, t)|² dt over n paths, Euler over options.steps (default 100); 0 for straight paths. */
  straightness(n: number, seed: number, options?: SampleOptions): number;
  /** A copy of the weights that sample (the moving average when emaDecay > 0). */
  modelParameters(): Float32Array;
  /** Replaces the trained weights (numParameters() floats); restarts any moving average. */
  setParameters(params: Points): void;
  /** A live view of the parameters: invalid after memory grows or delete(). */
  parametersView(): Float32Array;
  delete(): void;
}

export interface DiffusionConstructor {
  new (config?: DiffusionConfig): Diffusion;
}

/** What `createTinyDiff()` resolves to. */
export interface TinyDiffModule {
  Diffusion: DiffusionConstructor;
  defaultConfig(): FullConfig;
  configFields(): ConfigFieldInfo[];
  presetConfig(name: PresetName, plannedSteps: number): FullConfig;
  presetNames(): PresetName[];
  datasetNames(): DatasetName[];
  makeDataset(name: DatasetName, n: number, seed: number): Float32Array;
  makePoints(name: DatasetName, n: number, seed: number): PointSet;
  /** Within `radius` (default limits().qualityRadius) a sample counts as on the data. */
  qualityScore(samples: Points, data: Points, radius?: number): QualityScore;
  /** The share of points whose nearest training point is at most `ratio` (default limits().copyRatio, 1/3) as far as the second nearest; train needs 2 points or more. */
  copyShare(points: Points, train: Points, ratio?: number): number;
  /** The samples' copy share beside its base rate (fresh points of the same distribution against the same training set), and the distances to fresh and training points. */
  memorisationScore(samples: Points, train: Points, fresh: Points): MemorisationScore;
  /** The training times of one model's evaluations (null: not reached): tauGen, the first step within 10% of the best test distance; tauFall, the first by which it made 90% of its fall from the untrained model's; tauMem, the first whose excess copy share reaches `margin`. */
  memorisationTimes(series: { steps: ArrayLike<number>; testDistance: ArrayLike<number>; excess: ArrayLike<number>; untrainedDistance: number; margin: number }): MemorisationTimes;
  /** The exact 2-Wasserstein distance between two point sets: the larger cut to the smaller's size by `seed`, both to at most 2000 points. */
  wasserstein2(samples: Points, data: Points, seed?: number): number;
  /** Which points copyShare counts as copies (1) of a training point, at the default ratio. */
  copyFlags(points: Points, train: Points): Uint8Array;
  /** The indices (increasing) of the `count` given points a model of this trainSize and seed trains on: all for 0 or trainSize >= count. */
  trainingIndices(count: number, trainSize: number, seed: number): Uint32Array;
  /** Core's sampler table: every sampler and what it is, in the table's order. */
  samplerTable(): SamplerInfo[];
  /** The limits and radii core applies, for callers that state or check them. */
  limits(): Limits;
}

/** One row of core's sampler table (core/include/tinydiff/sampler_facts.hpp). */
export interface SamplerInfo {
  name: SamplerName;
  /** How captions name it. */
  title: string;
  /** One sentence on how a step moves the points. */
  summary: string;
  objective: "eps" | "flow";
  /** What the network predicts for this sampler's models. */
  predicts: "noise" | "velocity";
  /** Whether it takes a step count (else all T timesteps). */
  takesSteps: boolean;
  takesEta: boolean;
  takesClipX0: boolean;
  /** Network calls a step at most (Heun: 2, its last step 1). */
  callsPerStep: number;
  /** The sampler of its objective that draws best in a few steps. */
  bestInFewSteps: boolean;
}

export interface Limits {
  /** The largest model file loadModel takes. */
  maxModelFileBytes: number;
  /** qualityScore's default radius. */
  qualityRadius: number;
  /** samplerSweep's "memorised": within this distance of a training point. */
  memorisedRadius: number;
  /** copyShare's default ratio: a copy's nearest training point is at most this share as far as the second nearest. */
  copyRatio: number;
  /** The most samples (or points) one call takes. */
  maxSamples: number;
  /** The most floats of frames one call returns: n x 2 x (T + 1). */
  maxFrameFloats: number;
}

/** Emscripten module options (the loader reads the .wasm itself under node). */
export interface ModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
  /** The threaded build (tinydiff-threads.js) only: workers started with the module, one a thread beyond the first. */
  poolSize?: number;
  [option: string]: unknown;
}

export default function createTinyDiff(options?: ModuleOptions): Promise<TinyDiffModule>;
