#include "internal/samplers.hpp"

#include <algorithm>
#include <string>

#include "tinydiff/config_fields.hpp"

namespace tinydiff {
namespace {

// Ancestral DDPM: the posterior mean plus its variance's noise (none at t = 0).
void ddpm_step(SamplerRun& run, float* x, double time, double /*t - 1*/) {
  const int t = int(time);
  run.predict(run.prediction.data(), x, run.n, t);
  if (t > 0) run.rng.fill_normal(run.noise.data(), run.floats());
  run.schedule.step(x, run.prediction.data(), x, t > 0 ? run.noise.data() : nullptr, t, run.n);
}

// DDIM (Song et al. 2021) over a subsequence; with clip_x0 the step starts
// from the clamped data prediction (its noise re-derived from it).
void ddim_step(SamplerRun& run, float* x, double time, double time_prev) {
  const int t = int(time), t_prev = int(time_prev);
  run.predict(run.prediction.data(), x, run.n, t);
  const double eta = run.options.eta;
  const bool noisy = run.schedule.ddim_sigma(t, t_prev, eta) > 0;
  if (noisy) run.rng.fill_normal(run.noise.data(), run.floats());
  const float* noise = noisy ? run.noise.data() : nullptr;
  if (run.options.clip_x0 > 0) {
    run.schedule.reconstruct_x0(run.x0.data(), x, run.prediction.data(), t, run.n);
    run.clip_data_prediction();
    run.schedule.ddim_step_from_x0(x, run.x0.data(), x, noise, t, t_prev, eta, run.n);
  } else {
    run.schedule.ddim_step(x, run.prediction.data(), x, noise, t, t_prev, eta, run.n);
  }
}

// DPM-Solver++(2M) (Lu et al. 2022): DDIM's update from the extrapolated data
// prediction D = (1 + 1/(2r)) x0 - 1/(2r) x0_before, r = h_before / h; first
// order at the first step, and the last step lands on the data prediction.
void dpm_solver_step(SamplerRun& run, float* x, double time, double time_prev) {
  const int t = int(time), t_prev = int(time_prev);
  run.predict(run.prediction.data(), x, run.n, t);
  run.schedule.reconstruct_x0(run.x0.data(), x, run.prediction.data(), t, run.n);
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

// Euler on dx/dt = v(x, t): x_next = x + (t_next - t) v(x, t).
void euler_step(SamplerRun& run, float* x, double t, double t_next) {
  run.predict(run.prediction.data(), x, run.n, t);
  const float dt = float(t_next - t);
  for (size_t i = 0; i < run.floats(); ++i) x[i] += dt * run.prediction[i];
}

// Heun's trapezoid: an Euler step to x', then x + dt (v(x, t) + v(x', t_next)) / 2.
// The last step, to t = 0, is Euler's alone (as in Karras et al. 2022): the
// velocity at t = 0 is that of noiseless data, which the corrector would
// average in with the weight of a whole step.
void heun_step(SamplerRun& run, float* x, double t, double t_next) {
  if (t_next <= 0) return euler_step(run, x, t, t_next);
  run.predict(run.prediction.data(), x, run.n, t);
  const float dt = float(t_next - t);
  const size_t N2 = run.floats();
  for (size_t i = 0; i < N2; ++i) run.scratch[i] = x[i] + dt * run.prediction[i];
  run.predict(run.prediction_at_next.data(), run.scratch.data(), run.n, t_next);
  for (size_t i = 0; i < N2; ++i) x[i] += 0.5f * dt * (run.prediction[i] + run.prediction_at_next[i]);
}

// T - 1, ..., 0 then -1 (the data).
std::vector<double> every_timestep(int, int T) {
  std::vector<double> out;
  for (int t = T - 1; t >= -1; --t) out.push_back(t);
  return out;
}

// DDIM's quadratically spaced subsequence, descending, then -1.
std::vector<double> timestep_subsequence(int steps, int T) {
  const std::vector<int> ascending = NoiseSchedule::ddim_timesteps(T, steps ? steps : T);
  std::vector<double> out(ascending.rbegin(), ascending.rend());
  out.push_back(-1);
  return out;
}

// 1, 1 - 1/K, ..., 0: K evenly spaced steps of the flow's time (K = T by default).
std::vector<double> flow_times(int steps, int T) {
  const int K = steps ? steps : T;
  std::vector<double> out(size_t(K) + 1);
  for (int k = 0; k <= K; ++k) out[size_t(k)] = 1.0 - double(k) / K;
  return out;
}

}  // namespace

const std::vector<SamplerRow>& sampler_table() {
  // id, name, title, summary, objective, takes steps, eta, clip_x0, calls a step, best in few steps; times; step
  static const std::vector<SamplerRow> rows{
      {{Sampler::Ddpm, "ddpm", "DDPM",
        "ancestral sampling: each step removes the predicted noise and adds fresh noise, over all T steps",
        Objective::Eps, false, false, false, 1, false},
       every_timestep, ddpm_step},
      {{Sampler::Ddim, "ddim", "DDIM",
        "each step jumps to an earlier timestep along the predicted noise (eta adds fresh noise)",
        Objective::Eps, true, true, true, 1, false},
       timestep_subsequence, ddim_step},
      {{Sampler::DpmSolver, "dpm-solver", "DPM-Solver++(2M)",
        "DDIM's jump from a second-order extrapolation of the last two data predictions",
        Objective::Eps, true, true, true, 1, true},
       timestep_subsequence, dpm_solver_step},
      {{Sampler::Euler, "euler", "Euler",
        "each step moves the points along the predicted velocity, from t = 1 (noise) to 0 (data)",
        Objective::Flow, true, false, false, 1, true},
       flow_times, euler_step},
      {{Sampler::Heun, "heun", "Heun",
        "each step averages the velocity at its start and at an Euler step's end (second order)",
        Objective::Flow, true, false, false, 2, false},
       flow_times, heun_step},
  };
  return rows;
}

const std::vector<SamplerFacts>& sampler_facts() {
  static const std::vector<SamplerFacts> facts = [] {
    std::vector<SamplerFacts> out;
    for (const SamplerRow& row : sampler_table()) out.push_back(row.facts);
    return out;
  }();
  return facts;
}

const SamplerFacts& sampler_facts(Sampler sampler) { return sampler_row(sampler).facts; }

const char* predicted_quantity(Objective objective) { return objective == Objective::Flow ? "velocity" : "noise"; }

const SamplerRow& sampler_row(Sampler sampler) {
  for (const SamplerRow& row : sampler_table())
    if (row.facts.id == sampler) return row;
  throw ConfigError("unknown sampler id " + std::to_string(int(sampler)));
}

const std::vector<std::string>& sampler_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const SamplerRow& row : sampler_table()) out.emplace_back(row.facts.name);
    return out;
  }();
  return names;
}

std::string to_string(Sampler sampler) { return sampler_row(sampler).facts.name; }

Sampler parse_sampler(const std::string& name, const std::string& field) {
  for (const SamplerRow& row : sampler_table())
    if (name == row.facts.name) return row.facts.id;
  throw ConfigError(not_one_of(field, sampler_names(), name));
}

void SamplerRun::clip_data_prediction() {
  if (options.clip_x0 <= 0) return;
  const float bound = float(options.clip_x0);
  for (float& v : x0) v = std::clamp(v, -bound, bound);
}

namespace {

std::string names_for(Objective objective) {
  std::vector<std::string> names;
  for (const SamplerRow& row : sampler_table())
    if (row.facts.objective == objective) names.emplace_back(row.facts.name);
  return join_names(names);
}

}  // namespace

void check_sampler_options(const SampleOptions& options, int T, Objective objective) {
  check_sample_options(options, NameStyle::Snake);
  const SamplerFacts& row = sampler_facts(options.sampler);
  if (row.objective != objective) {
    throw ConfigError(std::string("a model trained with the ") + to_string(objective) + " objective samples with " +
                      names_for(objective) + " (got sampler " + row.name + ")");
  }
  if (!row.takes_steps && options.steps != 0 && options.steps != T) {
    throw ConfigError("the " + std::string(row.title) + " sampler takes all " + std::to_string(T) +
                      " steps (got steps " + std::to_string(options.steps) + "); use ddim or dpm-solver for fewer");
  }
  if (row.takes_steps && objective == Objective::Eps && options.steps > T) {
    throw ConfigError(not_in_integer_range("steps", 1, T, std::to_string(options.steps)));
  }
}

std::vector<double> sampler_times(const SampleOptions& options, int T) {
  const SamplerRow& row = sampler_row(options.sampler);
  std::vector<double> times = row.times(row.facts.takes_steps ? options.steps : 0, T);
  times.pop_back();  // where the last step ends
  return times;
}

std::vector<float> run_sampler(const NoiseSchedule& schedule, Objective objective, const SampleOptions& options,
                               const Predictor& predict, int n, uint64_t seed, std::vector<float>* frames,
                               std::vector<float>* predicted_x0) {
  const int T = schedule.num_timesteps();
  check_sampler_options(options, T, objective);
  const SamplerRow& row = sampler_row(options.sampler);
  const std::vector<double> times = row.times(row.facts.takes_steps ? options.steps : 0, T);
  const size_t K = times.size() - 1, N2 = 2 * size_t(n);

  Rng rng(seed);
  SamplerRun run{schedule, options, predict, rng, n, {}, {}, {}, {}, {}, {}, 0};
  run.prediction.resize(N2);
  if (row.facts.calls_per_step > 1) run.prediction_at_next.resize(N2);
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
    row.step(run, x.data(), times[k], times[k + 1]);
    if (frames) std::copy(x.begin(), x.end(), frames->begin() + (k + 1) * N2);
    if (predicted_x0) {  // run.prediction holds the step's (first) prediction at times[k]
      if (objective == Objective::Flow) {  // x_t = (1 - t) x0 + t eps and v = eps - x0 give x0 = x_t - t v
        const float t = float(times[k]);
        for (size_t i = 0; i < N2; ++i) run.x0[i] = before[i] - t * run.prediction[i];
      } else {
        schedule.reconstruct_x0(run.x0.data(), before.data(), run.prediction.data(), int(times[k]), n);
      }
      run.clip_data_prediction();
      std::copy(run.x0.begin(), run.x0.end(), predicted_x0->begin() + k * N2);
    }
  }
  return x;
}

}  // namespace tinydiff
