#include "internal/samplers.hpp"

#include <algorithm>
#include <string>

#include "tinydiff/config_fields.hpp"

namespace tinydiff {
namespace {

// Ancestral DDPM: the posterior mean plus its variance's noise (none at t = 0).
void ddpm_step(SamplerRun& run, float* x, int t, int /*t_prev = t - 1*/) {
  run.predict(run.eps.data(), x, run.n, t);
  if (t > 0) run.rng.fill_normal(run.noise.data(), run.floats());
  run.schedule.step(x, run.eps.data(), x, t > 0 ? run.noise.data() : nullptr, t, run.n);
}

// DDIM (Song et al. 2021) over a subsequence; with clip_x0 the step starts
// from the clamped data prediction (its noise re-derived from it).
void ddim_step(SamplerRun& run, float* x, int t, int t_prev) {
  run.predict(run.eps.data(), x, run.n, t);
  const double eta = run.options.eta;
  const bool noisy = run.schedule.ddim_sigma(t, t_prev, eta) > 0;
  if (noisy) run.rng.fill_normal(run.noise.data(), run.floats());
  const float* noise = noisy ? run.noise.data() : nullptr;
  if (run.options.clip_x0 > 0) {
    run.schedule.reconstruct_x0(run.x0.data(), x, run.eps.data(), t, run.n);
    run.clip_data_prediction();
    run.schedule.ddim_step_from_x0(x, run.x0.data(), x, noise, t, t_prev, eta, run.n);
  } else {
    run.schedule.ddim_step(x, run.eps.data(), x, noise, t, t_prev, eta, run.n);
  }
}

// DPM-Solver++(2M) (Lu et al. 2022): DDIM's update from the extrapolated data
// prediction D = (1 + 1/(2r)) x0 - 1/(2r) x0_before, r = h_before / h; first
// order at the first step, and the last step lands on the data prediction.
void dpm_solver_step(SamplerRun& run, float* x, int t, int t_prev) {
  run.predict(run.eps.data(), x, run.n, t);
  run.schedule.reconstruct_x0(run.x0.data(), x, run.eps.data(), t, run.n);
  run.clip_data_prediction();
  const size_t N2 = run.floats();
  if (t_prev < 0) {
    std::copy_n(run.x0.data(), N2, x);
    return;
  }
  const double lambda = run.schedule.half_log_snr(t);
  const double h = run.schedule.half_log_snr(t_prev) - lambda;
  const float* data_prediction = run.x0.data();
  if (!run.x0_before.empty()) {
    const double half_inv_r = 0.5 * h / (lambda - run.lambda_before);
    const float a = float(1.0 + half_inv_r), b = float(half_inv_r);
    for (size_t i = 0; i < N2; ++i) run.scratch[i] = a * run.x0[i] - b * run.x0_before[i];
    data_prediction = run.scratch.data();
  }
  const double eta = run.options.eta;
  const bool noisy = run.schedule.ddim_sigma(t, t_prev, eta) > 0;
  if (noisy) run.rng.fill_normal(run.noise.data(), N2);
  run.schedule.ddim_step_from_x0(x, data_prediction, x, noisy ? run.noise.data() : nullptr, t, t_prev,
                                 eta, run.n);
  run.x0_before = run.x0;
  run.lambda_before = lambda;
}

}  // namespace

const std::vector<SamplerRow>& sampler_table() {
  static const std::vector<SamplerRow> rows{
      {Sampler::Ddpm, "ddpm", "DDPM", false, ddpm_step},
      {Sampler::Ddim, "ddim", "DDIM", true, ddim_step},
      {Sampler::DpmSolver, "dpm-solver", "DPM-Solver++(2M)", true, dpm_solver_step},
  };
  return rows;
}

const SamplerRow& sampler_row(Sampler sampler) {
  for (const SamplerRow& row : sampler_table())
    if (row.id == sampler) return row;
  throw ConfigError("unknown sampler id " + std::to_string(int(sampler)));
}

const std::vector<std::string>& sampler_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const SamplerRow& row : sampler_table()) out.emplace_back(row.name);
    return out;
  }();
  return names;
}

std::string to_string(Sampler sampler) { return sampler_row(sampler).name; }

Sampler parse_sampler(const std::string& name, const std::string& field) {
  for (const SamplerRow& row : sampler_table())
    if (name == row.name) return row.id;
  throw ConfigError(not_one_of(field, sampler_names(), name));
}

void SamplerRun::clip_data_prediction() {
  if (options.clip_x0 <= 0) return;
  const float bound = float(options.clip_x0);
  for (float& v : x0) v = std::clamp(v, -bound, bound);
}

void check_sampler_options(const SampleOptions& options, int T) {
  check_sample_options(options, NameStyle::Snake);
  const SamplerRow& row = sampler_row(options.sampler);
  if (!row.takes_steps && options.steps != 0 && options.steps != T) {
    throw ConfigError("the " + std::string(row.title) + " sampler takes all " + std::to_string(T) +
                      " steps (got steps " + std::to_string(options.steps) + "); use ddim or dpm-solver for fewer");
  }
  if (row.takes_steps && options.steps > T) {
    throw ConfigError("steps must be an integer from 1 to " + std::to_string(T) + " (got " +
                      std::to_string(options.steps) + ")");
  }
}

std::vector<int> sampler_timesteps(const SampleOptions& options, int T) {
  const SamplerRow& row = sampler_row(options.sampler);
  std::vector<int> timesteps = NoiseSchedule::ddim_timesteps(T, row.takes_steps && options.steps ? options.steps : T);
  std::reverse(timesteps.begin(), timesteps.end());
  return timesteps;
}

std::vector<float> run_sampler(const NoiseSchedule& schedule, const SampleOptions& options,
                               const NoisePredictor& predict, int n, uint64_t seed,
                               std::vector<float>* frames, std::vector<float>* predicted_x0) {
  const int T = schedule.num_timesteps();
  check_sampler_options(options, T);
  const SamplerRow& row = sampler_row(options.sampler);
  const std::vector<int> timesteps = sampler_timesteps(options, T);
  const size_t K = timesteps.size(), N2 = 2 * size_t(n);

  Rng rng(seed);
  SamplerRun run{schedule, options, predict, rng, n, {}, {}, {}, {}, {}, 0};
  run.eps.resize(N2);
  run.noise.resize(N2);
  run.x0.resize(N2);
  run.scratch.resize(N2);
  std::vector<float> x(N2);
  rng.fill_normal(x.data(), N2);
  if (frames) {
    frames->assign((K + 1) * N2, 0.0f);
    std::copy(x.begin(), x.end(), frames->begin());
  }
  if (predicted_x0) predicted_x0->assign(K * N2, 0.0f);
  std::vector<float> before;
  for (size_t k = 0; k < K; ++k) {
    if (predicted_x0) before = x;
    row.step(run, x.data(), timesteps[k], k + 1 < K ? timesteps[k + 1] : -1);
    if (frames) std::copy(x.begin(), x.end(), frames->begin() + (k + 1) * N2);
    if (predicted_x0) {  // run.eps holds the step's noise prediction at timesteps[k]
      schedule.reconstruct_x0(run.x0.data(), before.data(), run.eps.data(), timesteps[k], n);
      run.clip_data_prediction();
      std::copy(run.x0.begin(), run.x0.end(), predicted_x0->begin() + k * N2);
    }
  }
  return x;
}

}  // namespace tinydiff
