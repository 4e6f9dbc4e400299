// The reverse process, one sampler per row: the objective it samples, the
// times it visits, and one function for one step. Diffusion::sample runs the
// loop (run_sampler); a new sampler is one step function and one row of
// sampler_table() (plus its Sampler id in config.hpp), whose facts every
// layer reads (sampler_facts.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "tinydiff/config.hpp"
#include "tinydiff/sampler_facts.hpp"
#include "tinydiff/rng.hpp"
#include "tinydiff/schedule.hpp"

namespace tinydiff {

// out [n, 2]: what a denoiser predicts in x [n, 2] at time t: the noise at
// the integer timestep t (the eps objective) or the velocity at t in [0, 1]
// (the flow objective).
using Predictor = std::function<void(float* out, const float* x, int n, double t)>;

// What one sampling run carries from step to step.
struct SamplerRun {
  const NoiseSchedule& schedule;
  const SampleOptions& options;
  const Predictor& predict;
  Rng& rng;
  int n;
  // [n, 2] each: what the denoiser predicted at the step's time (noise for
  // an eps model, velocity for a flow model), and a two-call step's second
  // prediction at the step's end (Heun's corrector); the step's fresh noise;
  // the data prediction; scratch.
  std::vector<float> prediction, prediction_at_next, noise, x0, scratch;
  // DPM-Solver++(2M)'s memory: the previous step's data prediction and half log-SNR.
  std::vector<float> x0_before;
  double lambda_before = 0;

  size_t floats() const { return 2 * size_t(n); }
  // Clamps x0 to [-clip_x0, clip_x0] when the option is on.
  void clip_data_prediction();
};

// One step of the reverse process on x [n, 2], in place, from time t to
// t_next (eps: integer timesteps, -1 the data; flow: t in [0, 1], 0 the data).
using SamplerStep = void (*)(SamplerRun& run, float* x, double t, double t_next);
// The K + 1 times of a run of `steps` steps (0: the default) over T: the K
// visited, then where the last step ends.
using SamplerTimes = std::vector<double> (*)(int steps, int T);

struct SamplerRow {
  SamplerFacts facts;  // what it is (tinydiff/sampler_facts.hpp)
  SamplerTimes times;
  SamplerStep step;
};

const std::vector<SamplerRow>& sampler_table();
const SamplerRow& sampler_row(Sampler sampler);

// Throws ConfigError for options out of range for a model of T timesteps
// and this objective (or a sampler of the other objective).
void check_sampler_options(const SampleOptions& options, int T, Objective objective);
// The K times a run visits, in the order it visits them (eps: integer
// timesteps, descending; flow: from 1 down).
std::vector<double> sampler_times(const SampleOptions& options, int T);

// n points drawn from N(0, I) with the stream of `seed`, then denoised by
// the chosen sampler. frames (if not null): every state, frame 0 the noise.
// predicted_x0 (if not null): K x n x 2, the data prediction of each step
// from its input and its (first) prediction, clamped as the step clamps it.
std::vector<float> run_sampler(const NoiseSchedule& schedule, Objective objective, const SampleOptions& options,
                               const Predictor& predict, int n, uint64_t seed, std::vector<float>* frames,
                               std::vector<float>* predicted_x0 = nullptr);

}  // namespace tinydiff
