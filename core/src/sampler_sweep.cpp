#include "tinydiff/sampler_sweep.hpp"

#include <algorithm>
#include <chrono>

#include "internal/samplers.hpp"
#include "tinydiff/metrics.hpp"

namespace tinydiff {

std::vector<int> sweep_step_counts(int T, Objective objective) {
  if (objective == Objective::Flow) return {1, 2, 4, 8, 16, 100};
  std::vector<int> out;
  for (int k : {1, 2, 5, 10, 20, 50})
    if (k < T) out.push_back(k);
  out.push_back(T);
  return out;
}

std::vector<SweepRow> sampler_sweep(Diffusion& model, int n, uint64_t seed, const std::vector<int>& steps,
                                    bool ideal, const SampleOptions& base) {
  if (model.data().empty()) throw ConfigError("no training data: the sweep scores samples against the data");
  const int T = model.num_timesteps();
  for (int k : steps) {
    if (k < 1 || k > (model.objective() == Objective::Flow ? Limits::kMaxTimesteps : T)) {
      throw ConfigError("sweep steps must be integers from 1 to " + std::to_string(T) + " (got " +
                        std::to_string(k) + ")");
    }
  }
  std::vector<SweepRow> rows;
  for (const Denoiser denoiser : {Denoiser::Network, Denoiser::Ideal}) {
    if (denoiser == Denoiser::Ideal && !ideal) continue;
    for (const SamplerFacts& sampler : sampler_facts()) {
      if (sampler.objective != model.objective()) continue;
      for (int k : steps) {
        if (!sampler.takes_steps && k != T) continue;
        SampleOptions o = base;
        o.sampler = sampler.id;
        o.denoiser = denoiser;
        o.steps = sampler.takes_steps ? k : 0;
        const auto start = std::chrono::steady_clock::now();
        const std::vector<float> xy = model.sample(n, seed, nullptr, o);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const QualityScore near = quality_score(xy.data(), size_t(n), model.data().data(), model.num_points(),
                                                kMemorisedRadius);
        const double w2 = wasserstein2(xy.data(), size_t(n), model.data().data(), model.num_points(), seed);
        rows.push_back({sampler.id, denoiser, k, near.chamfer, w2, near.precision, seconds / n});
      }
    }
  }
  return rows;
}

}  // namespace tinydiff
