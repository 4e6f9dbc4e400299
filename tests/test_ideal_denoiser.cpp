// The ideal denoiser (ideal_denoiser.hpp) against its closed forms, its
// stability far out and at t = 0, the marginal q(x_t), the loss's floor it
// sets for a trained network, and sampling with it (memorisation).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "test_support.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/ideal_denoiser.hpp"
#include "tinydiff/metrics.hpp"
#include "tinydiff/sampler_sweep.hpp"

namespace tinydiff {
namespace {

TEST(IdealDenoiser, OnePointIsTheExactNoise) {
  const std::vector<float> data{0.7f, -1.2f};
  const std::vector<float> xy{0.1f, 0.4f, -3.0f, 2.5f, 0.7f, -1.2f};
  for (double abar : {0.9999, 0.5, 1e-4}) {
    std::vector<float> eps(6);
    ideal_noise(eps.data(), xy.data(), 3, data.data(), 1, {std::sqrt(abar), std::sqrt(1 - abar)});
    for (int i = 0; i < 6; ++i) {
      const double expected = (xy[i] - std::sqrt(abar) * data[i % 2]) / std::sqrt(1 - abar);
      EXPECT_NEAR(eps[i], expected, 1e-5 * (1 + std::fabs(expected))) << "abar " << abar << " i " << i;
    }
  }
}

TEST(IdealDenoiser, TwoPointsFollowTheirPosterior) {
  const std::vector<float> data{-1.0f, 0.0f, 2.0f, 1.0f};
  const std::vector<float> xy{0.3f, 0.2f};
  const double abar = 0.6, keep = std::sqrt(abar), var = 1 - abar;
  auto d2 = [&](int j) {
    const double dx = xy[0] - keep * data[2 * j], dy = xy[1] - keep * data[2 * j + 1];
    return dx * dx + dy * dy;
  };
  const double w0 = std::exp(-d2(0) / (2 * var)), w1 = std::exp(-d2(1) / (2 * var));
  const double mean_x = (w0 * data[0] + w1 * data[2]) / (w0 + w1), mean_y = (w0 * data[1] + w1 * data[3]) / (w0 + w1);
  std::vector<float> eps(2);
  ideal_noise(eps.data(), xy.data(), 1, data.data(), 2, {keep, std::sqrt(var)});
  EXPECT_NEAR(eps[0], (xy[0] - keep * mean_x) / std::sqrt(var), 1e-5);
  EXPECT_NEAR(eps[1], (xy[1] - keep * mean_y) / std::sqrt(var), 1e-5);

  // log q(x_t) of the same mixture.
  float log_q = 0;
  marginal_log_density(&log_q, xy.data(), 1, data.data(), 2, {keep, std::sqrt(var)});
  const double pi = 3.14159265358979323846;
  EXPECT_NEAR(log_q, std::log(0.5 * (w0 + w1) / (2 * pi * var)), 1e-5);
}

// Far from every point, or at t = 0 (1 - abar = 1e-4), a plain softmax
// underflows to 0 / 0; the log-sum-exp form picks the nearest point.
TEST(IdealDenoiser, StableFarAwayAndAtTheFirstTimestep) {
  const std::vector<float> data{0.0f, 0.0f, 1.0f, 0.0f};
  const std::vector<float> xy{1000.0f, -50.0f, 0.9f, 0.05f};
  for (double abar : {0.9999, 0.01}) {
    std::vector<float> eps(4);
    std::vector<float> log_q(2);
    const NoiseLevel level{std::sqrt(abar), std::sqrt(1 - abar)};
    ideal_noise(eps.data(), xy.data(), 2, data.data(), 2, level);
    marginal_log_density(log_q.data(), xy.data(), 2, data.data(), 2, level);
    for (float v : eps) EXPECT_TRUE(std::isfinite(v)) << abar;
    for (float v : log_q) EXPECT_TRUE(std::isfinite(v)) << abar;
    // The far point belongs to the nearer data point (1, 0).
    EXPECT_NEAR(eps[0], (1000 - std::sqrt(abar)) / std::sqrt(1 - abar), 1e-3 * 1000 / std::sqrt(1 - abar));
  }
  EXPECT_THROW(ideal_noise(nullptr, xy.data(), 1, data.data(), 0, {0.5, 0.5}), ConfigError);
}

DiffusionConfig small_config() {
  DiffusionConfig c = testing::small_config(2);
  c.schedule.num_timesteps = 30;
  return c;
}

// The ideal denoiser is Bayes-optimal for the training points, so at every t
// a trained network's loss on the same noised points is at least the ideal
// one, up to Monte Carlo error (the cross term has mean zero): checked on
// the mean of 4 seeds against 3 standard errors of their spread.
TEST(IdealDenoiser, IsTheFloorOfTheNetworksLossAtEveryTimestep) {
  Diffusion model(small_config());
  model.set_data(make_dataset("moons", 400, 1));
  model.train(1000);
  const int T = model.num_timesteps(), seeds = 4;
  std::vector<double> mean(size_t(T), 0.0), squares(size_t(T), 0.0);
  for (int s = 0; s < seeds; ++s) {
    const auto net = model.loss_by_timestep(2000, 10 + s);
    const auto ideal = model.loss_by_timestep(2000, 10 + s, Denoiser::Ideal);
    ASSERT_EQ(net.size(), size_t(T));
    for (int t = 0; t < T; ++t) {
      const double d = double(net[size_t(t)]) - ideal[size_t(t)];
      mean[size_t(t)] += d / seeds;
      squares[size_t(t)] += d * d / seeds;
      EXPECT_GT(ideal[size_t(t)], 0.0f);
    }
  }
  for (int t = 0; t < T; ++t) {
    const double sd = std::sqrt(std::max(0.0, squares[size_t(t)] - mean[size_t(t)] * mean[size_t(t)]));
    EXPECT_GT(mean[size_t(t)], -3 * sd / std::sqrt(double(seeds - 1)) - 1e-6) << "t = " << t;
  }
  // The same seed gives the same points: the ideal curve repeats exactly.
  EXPECT_EQ(model.loss_by_timestep(100, 3, Denoiser::Ideal), model.loss_by_timestep(100, 3, Denoiser::Ideal));
  EXPECT_THROW(model.loss_by_timestep(0, 3), ConfigError);
}

TEST(IdealDenoiser, SamplingWithItLandsOnTrainingPoints) {
  Diffusion model(small_config());  // untrained: the network plays no part
  const auto data = make_dataset("moons", 300, 4);
  model.set_data(data);
  for (const Sampler sampler : {Sampler::Ddpm, Sampler::Ddim, Sampler::DpmSolver}) {
    SampleOptions o;
    o.sampler = sampler;
    o.denoiser = Denoiser::Ideal;
    const auto xy = model.sample(200, 5, nullptr, o);
    const QualityScore near = quality_score(xy.data(), 200, data.data(), 300, kMemorisedRadius);
    EXPECT_GT(near.precision, 0.9) << to_string(sampler);
  }
  Diffusion empty(small_config());
  SampleOptions ideal;
  ideal.denoiser = Denoiser::Ideal;
  EXPECT_THROW(empty.sample(10, 0, nullptr, ideal), ConfigError);
}

TEST(SamplerSweep, EverySamplerAtEveryStepCountItTakes) {
  Diffusion model(small_config());
  model.set_data(make_dataset("moons", 300, 4));
  model.train(200);
  const auto steps = sweep_step_counts(model.num_timesteps(), model.objective());
  EXPECT_EQ(steps, (std::vector<int>{1, 2, 5, 10, 20, 30}));
  const auto rows = sampler_sweep(model, 50, 1, steps, true);
  // DDPM once (at T), DDIM and DPM-Solver at each count; then the same with the ideal denoiser.
  ASSERT_EQ(rows.size(), 2 * (1 + 2 * steps.size()));
  for (const SweepRow& r : rows) {
    EXPECT_TRUE(std::isfinite(r.chamfer));
    EXPECT_GE(r.seconds_per_sample, 0.0);
    if (r.sampler == Sampler::Ddpm) {
      EXPECT_EQ(r.steps, 30);
    }
  }
  EXPECT_GT(rows.back().memorised, 0.5);  // the ideal denoiser's DPM-Solver at T
  EXPECT_THROW(sampler_sweep(model, 50, 1, {0}, false), ConfigError);
}

TEST(ReverseProcess, PredictedDataMatchesEachFramesNoisePrediction) {
  Diffusion model(small_config());
  model.set_data(make_dataset("moons", 300, 4));
  model.train(100);
  SampleOptions o;
  o.sampler = Sampler::Ddim;
  o.steps = 6;
  const auto run = model.reverse_process(20, 3, o);
  ASSERT_EQ(run.timesteps.size(), 6u);
  ASSERT_EQ(run.frames.size(), 7u * 40);
  ASSERT_EQ(run.predicted_x0.size(), 6u * 40);
  EXPECT_EQ(std::vector<float>(run.frames.end() - 40, run.frames.end()), model.sample(20, 3, nullptr, o));
  const auto& ab = model.schedule().alphas_cumprod;
  for (size_t k = 0; k < 6; ++k) {
    const int t = run.timesteps[k];
    const float* x = run.frames.data() + k * 40;
    const auto eps = model.predict_noise(x, 20, t);
    for (int i = 0; i < 40; ++i) {
      const double x0 = (x[i] - std::sqrt(1.0 - ab[size_t(t)]) * eps[size_t(i)]) / std::sqrt(double(ab[size_t(t)]));
      ASSERT_NEAR(run.predicted_x0[k * 40 + size_t(i)], x0, 1e-3 * (1 + std::fabs(x0))) << "k " << k;
    }
  }
}

}  // namespace
}  // namespace tinydiff
