// The reverse process, one sampler per row: which timesteps it visits, which
// options it reads, and one function for one step. Diffusion::sample runs
// the loop (run_sampler); a new sampler is one step function and one row of
// sampler_table() (plus its Sampler id in config.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "tinydiff/config.hpp"
#include "tinydiff/rng.hpp"
#include "tinydiff/schedule.hpp"

namespace tinydiff {

// eps [n, 2]: the noise a denoiser predicts in x [n, 2] at timestep t.
using NoisePredictor = std::function<void(float* eps, const float* x, int n, int t)>;

// What one sampling run carries from step to step.
struct SamplerRun {
  const NoiseSchedule& schedule;
  const SampleOptions& options;
  const NoisePredictor& predict;
  Rng& rng;
  int n;
  std::vector<float> eps, noise, x0, scratch;  // [n, 2] each
  // DPM-Solver++(2M)'s memory: the previous step's data prediction and half log-SNR.
  std::vector<float> x0_before;
  double lambda_before = 0;

  size_t floats() const { return 2 * size_t(n); }
  // Clamps x0 to [-clip_x0, clip_x0] when the option is on.
  void clip_data_prediction();
};

// One step of the reverse chain on x [n, 2], in place, from timestep t to
// t_prev (-1: to the data).
using SamplerStep = void (*)(SamplerRun& run, float* x, int t, int t_prev);

struct SamplerRow {
  Sampler id;
  const char* name;   // what the CLI, the bindings and model files call it
  const char* title;  // how messages name it
  // Whether it visits options.steps of the T timesteps (0: all T); if not it
  // takes every one of them and refuses other step counts.
  bool takes_steps;
  SamplerStep step;
};

const std::vector<SamplerRow>& sampler_table();
const SamplerRow& sampler_row(Sampler sampler);

// Throws ConfigError for options out of range for a model of T timesteps.
void check_sampler_options(const SampleOptions& options, int T);
// The timesteps a run visits, in the order it visits them (descending).
std::vector<int> sampler_timesteps(const SampleOptions& options, int T);

// n points drawn from N(0, I) with the stream of `seed`, then denoised by
// the chosen sampler. frames (if not null): every state, frame 0 the noise.
// predicted_x0 (if not null): K x n x 2, the data prediction of each step
// (from its input and its noise prediction, clamped as the step clamps it).
std::vector<float> run_sampler(const NoiseSchedule& schedule, const SampleOptions& options,
                               const NoisePredictor& predict, int n, uint64_t seed,
                               std::vector<float>* frames, std::vector<float>* predicted_x0 = nullptr);

}  // namespace tinydiff
