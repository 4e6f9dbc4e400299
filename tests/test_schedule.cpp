// Noise schedules against their closed forms, and the DDPM identities.
#include <gtest/gtest.h>

#include <cmath>

#include "test_support.hpp"
#include "tinydiff/rng.hpp"
#include "tinydiff/schedule.hpp"

namespace tinydiff {
namespace {

constexpr double kPi = 3.14159265358979323846;

NoiseSchedule make(BetaSchedule kind, int T, double start = 1e-4, double end = 0.02) {
  ScheduleConfig c;
  c.beta_schedule = kind;
  c.num_timesteps = T;
  c.beta_start = start;
  c.beta_end = end;
  return NoiseSchedule(c);
}

TEST(Schedule, LinearClosedForm) {
  for (int T : {1, 2, 10, 50, 1000}) {
    const auto s = make(BetaSchedule::Linear, T);
    for (int t = 0; t < T; ++t) {
      const double expected = T == 1 ? 1e-4 : 1e-4 + t * (0.02 - 1e-4) / (T - 1);
      EXPECT_NEAR(s.betas[t], expected, 1e-6 * expected) << "T=" << T << " t=" << t;
    }
  }
}

TEST(Schedule, QuadraticClosedForm) {
  const int T = 50;
  const auto s = make(BetaSchedule::Quadratic, T);
  for (int t = 0; t < T; ++t) {
    const double r = std::sqrt(1e-4) + t * (std::sqrt(0.02) - std::sqrt(1e-4)) / (T - 1);
    EXPECT_NEAR(s.betas[t], r * r, 1e-6 * r * r);
  }
}

TEST(Schedule, CosineFollowsAlphaBar) {
  const int T = 100;
  const auto s = make(BetaSchedule::Cosine, T);
  auto alpha_bar = [&](double t) {
    const double c = std::cos((t / T + 0.008) / 1.008 * kPi / 2);
    return c * c;
  };
  for (int t = 0; t < T - 1; ++t) {  // the last beta is capped at 0.999
    EXPECT_NEAR(s.alphas_cumprod[t], alpha_bar(t + 1) / alpha_bar(0), 2e-5) << "t=" << t;
  }
  EXPECT_FLOAT_EQ(s.betas[T - 1], 0.999f);
  EXPECT_LT(s.alphas_cumprod[T - 1], 1e-6);  // reaches pure noise
}

TEST(Schedule, SigmoidIsARescaledLogistic) {
  const int T = 50;
  const auto s = make(BetaSchedule::Sigmoid, T, 1e-4, 0.02);
  auto expected = [&](int t) {
    const double z = -6.0 + 12.0 * t / (T - 1);
    return 1e-4 + (0.02 - 1e-4) / (1 + std::exp(-z));
  };
  for (int t = 0; t < T; ++t) {
    EXPECT_NEAR(s.betas[t], expected(t), 1e-6 * expected(t));
    if (t > 0) {
      EXPECT_GT(s.betas[t], s.betas[t - 1]);
    }
  }
  EXPECT_NEAR(s.betas[0] + s.betas[T - 1], 1e-4 + 0.02, 1e-6);  // symmetric about the midpoint
}

TEST(Schedule, DerivedArraysHoldTheirDefinitions) {
  for (auto kind : {BetaSchedule::Linear, BetaSchedule::Quadratic, BetaSchedule::Cosine,
                    BetaSchedule::Sigmoid}) {
    const auto s = make(kind, 50);
    double product = 1;
    for (int t = 0; t < 50; ++t) {
      product *= 1.0 - double(s.betas[t]);
      EXPECT_NEAR(s.alphas_cumprod[t], product, 1e-5 * product + 1e-9);
      EXPECT_NEAR(s.sqrt_alphas_cumprod[t] * s.sqrt_alphas_cumprod[t] +
                      s.sqrt_one_minus_alphas_cumprod[t] * s.sqrt_one_minus_alphas_cumprod[t],
                  1.0, 1e-5);
      if (t == 0) {
        EXPECT_EQ(s.variance[t], 0.0f);
      } else {
        EXPECT_NEAR(s.variance[t],
                    s.betas[t] * (1 - s.alphas_cumprod[t - 1]) / (1 - s.alphas_cumprod[t]),
                    1e-5 * s.variance[t] + 1e-20);
        EXPECT_LE(s.variance[t], s.betas[t] * (1 + 1e-5));  // posterior is tighter than prior
      }
    }
  }
}

TEST(Schedule, ReconstructInvertsAddNoise) {
  const auto s = make(BetaSchedule::Linear, 50);
  Rng rng(9);
  const int n = 64;
  std::vector<float> x0(2 * n), eps(2 * n), x_t(2 * n), back(2 * n);
  rng.fill_normal(x0.data(), x0.size());
  rng.fill_normal(eps.data(), eps.size());
  for (int t : {0, 1, 25, 49}) {
    std::vector<int> ts(n, t);
    s.add_noise(x_t.data(), x0.data(), eps.data(), ts.data(), n);
    s.reconstruct_x0(back.data(), x_t.data(), eps.data(), t, n);
    for (int i = 0; i < 2 * n; ++i) EXPECT_NEAR(back[i], x0[i], 2e-4) << "t=" << t;
  }
}

TEST(Schedule, StepAtZeroIsTheMeanWithoutNoise) {
  const auto s = make(BetaSchedule::Linear, 50);
  std::vector<float> x{0.5f, -0.25f}, eps{0.1f, 0.2f}, noise{100.0f, 100.0f}, out(2);
  s.step(out.data(), eps.data(), x.data(), noise.data(), 0, 1);
  std::vector<float> x0(2);
  s.reconstruct_x0(x0.data(), x.data(), eps.data(), 0, 1);
  for (int i = 0; i < 2; ++i) {
    EXPECT_NEAR(out[i], s.posterior_mean_coef1[0] * x0[i] + s.posterior_mean_coef2[0] * x[i], 1e-7);
  }
}

TEST(Schedule, RejectsBadConfigurations) {
  DiffusionConfig c;
  c.schedule.num_timesteps = 0;
  EXPECT_THROW(validate(c), ConfigError);
  c = DiffusionConfig();
  c.schedule.beta_start = 0.5;
  c.schedule.beta_end = 0.1;
  EXPECT_THROW(validate(c), ConfigError);
  c = DiffusionConfig();
  c.schedule.beta_end = std::nan("");
  EXPECT_THROW(validate(c), ConfigError);
  EXPECT_THROW(parse_beta_schedule("exponential"), ConfigError);
  EXPECT_TRUE(testing::contains(testing::error_of([] { parse_beta_schedule("exponential"); }),
                                "linear, quadratic, cosine, sigmoid"));
}

}  // namespace
}  // namespace tinydiff
