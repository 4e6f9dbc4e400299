// A typed use of the package: train a small model on the moons, sample it
// with two samplers and score the samples. The test command type-checks
// this against tinydiff.d.ts (tsc --strict) and runs it with the package
// installed from `npm pack` into a fresh folder.
import createTinyDiff, { type Diffusion, type SampleOptions, type QualityScore } from "tinydiff";

const tinydiff = await createTinyDiff();
const model: Diffusion = new tinydiff.Diffusion({ hiddenSize: 32, hiddenLayers: 1, embeddingSize: 16, seed: 7 });
try {
  model.setDataset("moons", 2000, 0);
  const loss: number = model.train(300);
  const data: Float32Array = model.data();
  const options: SampleOptions[] = [{ sampler: "ddpm" }, { sampler: "dpm-solver", steps: 10 }];
  for (const o of options) {
    const samples = model.sample(500, 1, o);
    const score: QualityScore = tinydiff.qualityScore(samples, data);
    if (samples.length !== 1000 || !Number.isFinite(score.chamfer)) throw new Error(`bad samples from ${o.sampler}`);
    console.log(`${o.sampler}: chamfer ${score.chamfer.toFixed(3)} after ${model.stepCount()} steps (loss ${loss.toFixed(3)})`);
  }
  // @ts-expect-error: not a sampler tinydiff has (the types are exact, not `any`)
  const wrong: SampleOptions = { sampler: "lms" };
  void wrong;
} finally {
  model.delete();
}
