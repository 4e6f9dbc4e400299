#include "tinydiff/reflow.hpp"

#include "tinydiff/diffusion.hpp"
#include "tinydiff/metrics.hpp"

namespace tinydiff {

ReflowPairs make_reflow_pairs(Diffusion& model, int n, uint64_t seed, const SampleOptions& options) {
  if (model.objective() != Objective::Flow) throw ConfigError("reflow takes a flow model (objective flow)");
  ReflowPairs pairs;
  pairs.xy = model.sample(n, seed, nullptr, options, &pairs.labels);
  // Frame 0 of any solve from this stream is its noise: one Euler step keeps only two frames.
  SampleOptions one = options;
  one.sampler = Sampler::Euler;
  one.steps = 1;
  std::vector<float> frames;
  model.sample(n, seed, &frames, one);
  pairs.noise.assign(frames.begin(), frames.begin() + 2 * std::ptrdiff_t(n));
  return pairs;
}

double model_straightness(Diffusion& model, int n, uint64_t seed, const SampleOptions& options, int steps) {
  if (model.objective() != Objective::Flow) throw ConfigError("straightness is a flow model's (objective flow)");
  SampleOptions euler = options;
  euler.sampler = Sampler::Euler;
  euler.steps = steps;
  std::vector<float> frames;
  model.sample(n, seed, &frames, euler);
  return straightness(frames.data(), steps, size_t(n));
}

}  // namespace tinydiff
