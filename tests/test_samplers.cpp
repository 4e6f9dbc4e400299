// The samplers (core/src/samplers.cpp): DDIM and DPM-Solver++ against their
// closed forms, step counts and options, clamping the data prediction.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "internal/samplers.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"

namespace tinydiff {
namespace {

DiffusionConfig small() {
  DiffusionConfig c;
  c.model.hidden_size = 24;
  c.model.hidden_layers = 2;
  c.model.embedding_size = 8;
  c.schedule.num_timesteps = 30;
  c.schedule.beta_schedule = BetaSchedule::Quadratic;
  c.train.seed = 4;
  return c;
}

TEST(Ddim, EtaZeroIsDeterministicAndFollowsItsClosedForm) {
  Diffusion model(small());
  model.set_data(make_dataset("dino", 300, 0));
  model.train(100);
  const int T = model.num_timesteps(), n = 40;
  SampleOptions ddim{Sampler::Ddim, T, 0.0};
  std::vector<float> frames, ddpm_frames;
  const auto a = model.sample(n, 5, &frames, ddim);
  EXPECT_EQ(model.sample(n, 5, nullptr, ddim), a);
  model.sample(n, 5, &ddpm_frames);
  ASSERT_EQ(frames.size(), size_t(T + 1) * n * 2);
  // Both samplers start from the same noise.
  EXPECT_TRUE(std::equal(frames.begin(), frames.begin() + 2 * n, ddpm_frames.begin()));
  // Each step: x_{t-1} = sqrt(ab_{t-1}) x0 + sqrt(1 - ab_{t-1}) eps, x0 from x_t and eps.
  const auto& ab = model.schedule().alphas_cumprod;
  for (int k = 0; k < T; ++k) {
    const int t = T - 1 - k;
    const float* x = frames.data() + size_t(k) * n * 2;
    const auto eps = model.predict_noise(x, n, t);
    const double ab_prev = t > 0 ? ab[t - 1] : 1.0;
    for (int i = 0; i < 2 * n; ++i) {
      const double x0 = (x[i] - std::sqrt(1.0 - ab[t]) * eps[i]) / std::sqrt(double(ab[t]));
      const double next = std::sqrt(ab_prev) * x0 + std::sqrt(1.0 - ab_prev) * eps[i];
      ASSERT_NEAR(frames[size_t(k + 1) * n * 2 + i], next, 2e-4 * (1 + std::fabs(next))) << "t=" << t;
    }
  }
}

TEST(Ddim, FewerStepsAndNoiseOptions) {
  Diffusion model(small());
  const int n = 30;
  std::vector<float> frames;
  model.sample(n, 1, &frames, {Sampler::Ddim, 10, 0.5});
  EXPECT_EQ(frames.size(), size_t(11) * n * 2);
  EXPECT_NE(model.sample(n, 1, nullptr, {Sampler::Ddim, 10, 0.5}), model.sample(n, 1, nullptr, {Sampler::Ddim, 10, 0.0}));
  EXPECT_EQ(NoiseSchedule::ddim_timesteps(50, 10), (std::vector<int>{0, 1, 4, 7, 12, 17, 24, 31, 40, 49}));
  std::vector<int> all(50);
  for (int t = 0; t < 50; ++t) all[t] = t;
  EXPECT_EQ(NoiseSchedule::ddim_timesteps(50, 50), all);
  EXPECT_EQ(NoiseSchedule::ddim_timesteps(50, 1), std::vector<int>{49});
  EXPECT_THROW(model.sample(n, 1, nullptr, {Sampler::Ddim, 31, 0.0}), ConfigError);
  EXPECT_THROW(model.sample(n, 1, nullptr, {Sampler::Ddim, -1, 0.0}), ConfigError);
  EXPECT_THROW(model.sample(n, 1, nullptr, {Sampler::Ddim, 10, 1.5}), ConfigError);
  EXPECT_THROW(model.sample(n, 1, nullptr, {Sampler::Ddpm, 10, 0.0}), ConfigError);
  EXPECT_THROW(parse_sampler("lms"), ConfigError);
}

// DPM-Solver++(2M): DDIM's first step, then DDIM's update applied to the
// second-order extrapolation of the data prediction, and a last step that
// lands on the data prediction.
TEST(DpmSolver, FollowsItsClosedForm) {
  Diffusion model(small());
  model.set_data(make_dataset("dino", 300, 0));
  model.train(100);
  const int T = model.num_timesteps(), n = 20, K = 8;
  const SampleOptions solver{Sampler::DpmSolver, K, 0.0};
  std::vector<float> frames, ddim_frames;
  const auto out = model.sample(n, 3, &frames, solver);
  EXPECT_EQ(model.sample(n, 3, nullptr, solver), out);  // eta 0: deterministic
  model.sample(n, 3, &ddim_frames, {Sampler::Ddim, K, 0.0});
  ASSERT_EQ(frames.size(), size_t(K + 1) * n * 2);
  const auto ts = NoiseSchedule::ddim_timesteps(T, K);  // ascending
  const auto& ab = model.schedule().alphas_cumprod;
  auto lambda = [&](int t) { return 0.5 * std::log(double(ab[t]) / (1.0 - ab[t])); };
  std::vector<double> x0_before;
  for (int k = 0; k < K; ++k) {
    const int t = ts[size_t(K - 1 - k)], t_prev = k + 1 < K ? ts[size_t(K - 2 - k)] : -1;
    const float* x = frames.data() + size_t(k) * n * 2;
    const auto eps = model.predict_noise(x, n, t);
    std::vector<double> x0(2 * n);
    for (int i = 0; i < 2 * n; ++i) x0[i] = (x[i] - std::sqrt(1.0 - ab[t]) * eps[i]) / std::sqrt(double(ab[t]));
    for (int i = 0; i < 2 * n; ++i) {
      double next;
      if (t_prev < 0) {
        next = x0[i];
      } else {
        double d = x0[i];
        if (k > 0) {
          const double h = lambda(t_prev) - lambda(t), h_before = lambda(t) - lambda(ts[size_t(K - k)]);
          const double half_inv_r = 0.5 * h / h_before;
          d = (1 + half_inv_r) * x0[i] - half_inv_r * x0_before[i];
        }
        const double e = (x[i] - std::sqrt(double(ab[t])) * d) / std::sqrt(1.0 - ab[t]);
        next = std::sqrt(double(ab[t_prev])) * d + std::sqrt(1.0 - ab[t_prev]) * e;
      }
      ASSERT_NEAR(frames[size_t(k + 1) * n * 2 + i], next, 2e-4 * (1 + std::fabs(next))) << "k=" << k;
    }
    x0_before = x0;
  }
  // The first step is DDIM's; later ones differ.
  for (int i = 0; i < 4 * n; ++i) ASSERT_NEAR(frames[i], ddim_frames[i], 1e-5 * (1 + std::fabs(frames[i])));
  EXPECT_NE(std::vector<float>(frames.end() - 2 * n, frames.end()), std::vector<float>(ddim_frames.end() - 2 * n, ddim_frames.end()));
  // eta > 0 adds noise; the same options and seed repeat.
  const SampleOptions noisy{Sampler::DpmSolver, K, 1.0};
  EXPECT_NE(model.sample(n, 3, nullptr, noisy), out);
  EXPECT_EQ(model.sample(n, 3, nullptr, noisy), model.sample(n, 3, nullptr, noisy));
  EXPECT_EQ(parse_sampler("dpm-solver"), Sampler::DpmSolver);
  EXPECT_EQ(to_string(Sampler::DpmSolver), "dpm-solver");
  EXPECT_THROW(model.sample(n, 1, nullptr, {Sampler::DpmSolver, T + 1, 0.0}), ConfigError);
}

// Clamping the data prediction: every sample of the last step is the clamped
// prediction itself; a bound no prediction reaches changes nothing.
TEST(Sampling, ClipX0BoundsTheDataPredictionOfDdimAndDpmSolver) {
  DiffusionConfig config;
  config.model.hidden_size = 16;
  config.model.hidden_layers = 1;
  config.model.embedding_size = 8;
  config.schedule.num_timesteps = 40;
  Diffusion model(config);
  model.set_data(make_dataset("moons", 256, 0));
  model.train(20);
  for (const Sampler sampler : {Sampler::Ddim, Sampler::DpmSolver}) {
    SampleOptions o;
    o.sampler = sampler;
    o.steps = 8;
    o.clip_x0 = 0.25;
    for (const float v : model.sample(200, 3, nullptr, o)) EXPECT_LE(std::fabs(v), 0.25f);
    SampleOptions loose = o, off = o;
    loose.clip_x0 = 1e6;
    off.clip_x0 = 0;
    const auto a = model.sample(200, 3, nullptr, loose), b = model.sample(200, 3, nullptr, off);
    for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-4f) << to_string(sampler) << " " << i;
  }
  SampleOptions bad;
  bad.sampler = Sampler::Ddim;
  bad.clip_x0 = -1;
  EXPECT_THROW(model.sample(4, 0, nullptr, bad), ConfigError);
}

// Every row of the table: its name parses back to it, it visits the steps
// it says, and one that takes all T refuses fewer.
TEST(Samplers, EveryRowOfTheTable) {
  const int T = 30;
  ASSERT_EQ(sampler_names().size(), sampler_facts().size());
  for (const SamplerFacts& row : sampler_facts()) {
    EXPECT_EQ(parse_sampler(row.name), row.id);
    EXPECT_EQ(to_string(row.id), row.name);
    const bool flow = row.objective == Objective::Flow;
    const Objective other = flow ? Objective::Eps : Objective::Flow;
    SampleOptions o;
    o.sampler = row.id;
    EXPECT_EQ(sampler_times(o, T).size(), size_t(T)) << row.name;  // steps 0: T of them
    EXPECT_EQ(sampler_times(o, T).front(), flow ? 1.0 : T - 1);
    EXPECT_NEAR(sampler_times(o, T).back(), flow ? 1.0 / T : 0.0, 1e-12);
    EXPECT_THROW(check_sampler_options(o, T, other), ConfigError) << row.name << " on the other objective";
    o.steps = 7;
    if (row.takes_steps) {
      EXPECT_EQ(sampler_times(o, T).size(), 7u) << row.name;
      EXPECT_NO_THROW(check_sampler_options(o, T, row.objective));
      o.steps = T + 1;
      if (flow) {
        EXPECT_NO_THROW(check_sampler_options(o, T, row.objective)) << "flow's steps are not tied to T";
      } else {
        EXPECT_THROW(check_sampler_options(o, T, row.objective), ConfigError) << row.name;
      }
    } else {
      EXPECT_THROW(check_sampler_options(o, T, row.objective), ConfigError) << row.name;
      o.steps = T;
      EXPECT_NO_THROW(check_sampler_options(o, T, row.objective));
    }
  }
}

// The facts every layer reads are true of the samplers: a run of K steps
// calls the network K x calls_per_step times (Heun's last step once), eta
// changes only samplers that take it, and each objective has one sampler
// that stands in when a preview is short of time.
TEST(Samplers, TheirFactsAreTrue) {
  DiffusionConfig c;
  const NoiseSchedule schedule(c.schedule);
  const int T = c.schedule.num_timesteps, K = 6, n = 3;
  for (const SamplerFacts& row : sampler_facts()) {
    int calls = 0;
    const Predictor counting = [&calls](float* out, const float* x, int rows, double) {
      ++calls;
      for (int i = 0; i < 2 * rows; ++i) out[i] = 0.1f * x[i];
    };
    SampleOptions o;
    o.sampler = row.id;
    o.steps = row.takes_steps ? K : 0;
    const std::vector<float> plain = run_sampler(schedule, row.objective, o, counting, n, 5, nullptr);
    const int steps = row.takes_steps ? K : T;
    const int expected = row.calls_per_step == 2 ? 2 * steps - 1 : steps * row.calls_per_step;
    EXPECT_EQ(calls, expected) << row.name;
    o.eta = 1.0;
    EXPECT_EQ(run_sampler(schedule, row.objective, o, counting, n, 5, nullptr) != plain, row.takes_eta) << row.name;
    EXPECT_STREQ(predicted_quantity(row.objective), row.objective == Objective::Flow ? "velocity" : "noise");
    EXPECT_GT(std::string(row.summary).size(), 20u) << row.name;
  }
  for (const Objective objective : {Objective::Eps, Objective::Flow}) {
    int few = 0;
    for (const SamplerFacts& row : sampler_facts()) few += row.objective == objective && row.best_in_few_steps;
    EXPECT_EQ(few, 1) << to_string(objective);
  }
}

// Euler and Heun on dx/dt = a x (a predictor that ignores the network):
// Euler multiplies by (1 - dt a) a step, Heun by 1 - dt a + (dt a)^2 / 2
// (its last step, to t = 0, is Euler's), from t = 1 to 0 (dt = -1/K),
// against those closed forms and the exact e^-a.
TEST(Samplers, EulerAndHeunFollowTheirClosedFormsOnALinearField) {
  DiffusionConfig c;
  const NoiseSchedule schedule(c.schedule);
  const double a = 0.8;
  const Predictor linear = [a](float* v, const float* x, int n, double) {
    for (int i = 0; i < 2 * n; ++i) v[i] = float(a * x[i]);
  };
  const int K = 8, n = 5;
  for (const Sampler sampler : {Sampler::Euler, Sampler::Heun}) {
    SampleOptions o;
    o.sampler = sampler;
    o.steps = K;
    std::vector<float> frames;
    const auto x = run_sampler(schedule, Objective::Flow, o, linear, n, 3, &frames);
    const double h = -1.0 / K;  // t goes from 1 to 0
    const double euler = 1 + h * a, heun = 1 + h * a + 0.5 * (h * a) * (h * a);
    const double total = sampler == Sampler::Euler ? std::pow(euler, K) : std::pow(heun, K - 1) * euler;
    for (int i = 0; i < 2 * n; ++i) {
      EXPECT_NEAR(x[i], frames[i] * total, 1e-5 * (1 + std::fabs(x[i]))) << to_string(sampler);
      // Heun is second order: closer than Euler to the exact flow x(0) = x(1) e^-a.
      const double exact = frames[i] * std::exp(-a);
      if (sampler == Sampler::Heun) {
        EXPECT_LT(std::fabs(x[i] - exact), std::fabs(frames[i] * std::pow(euler, K) - exact));
      }
    }
  }
  SampleOptions ddim;
  ddim.sampler = Sampler::Ddim;
  EXPECT_THROW(run_sampler(schedule, Objective::Flow, ddim, linear, 2, 0, nullptr), ConfigError);
}

}  // namespace
}  // namespace tinydiff
