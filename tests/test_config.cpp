// Configuration: the learning-rate decay and the presets.
#include <gtest/gtest.h>

#include <cmath>

#include "tinydiff/config.hpp"
#include "tinydiff/schedule.hpp"

namespace tinydiff {
namespace {

TEST(Config, CosineLearningRateDecay) {
  TrainConfig t;
  t.learning_rate = 1e-3;
  EXPECT_EQ(learning_rate_at(t, 1), 1e-3);
  EXPECT_EQ(learning_rate_at(t, 1000000), 1e-3);  // constant without decay
  t.lr_decay_steps = 100;
  t.lr_final_fraction = 0.1;
  EXPECT_DOUBLE_EQ(learning_rate_at(t, 1), 1e-3);
  EXPECT_NEAR(learning_rate_at(t, 51), 1e-3 * (0.1 + 0.9 * 0.5), 1e-12);
  EXPECT_NEAR(learning_rate_at(t, 101), 1e-4, 1e-12);
  EXPECT_NEAR(learning_rate_at(t, 5000), 1e-4, 1e-12);  // stays at the floor
  double last = 1;
  for (int64_t s = 1; s <= 101; ++s) {
    EXPECT_LE(learning_rate_at(t, s), last);
    last = learning_rate_at(t, s);
  }
}

TEST(Config, LinearWarmupBeforeTheDecay) {
  TrainConfig t;
  t.learning_rate = 2e-3;
  t.lr_warmup_steps = 200;
  EXPECT_DOUBLE_EQ(learning_rate_at(t, 1), 2e-3 / 200);
  EXPECT_DOUBLE_EQ(learning_rate_at(t, 100), 1e-3);
  EXPECT_DOUBLE_EQ(learning_rate_at(t, 200), 2e-3);
  EXPECT_DOUBLE_EQ(learning_rate_at(t, 5000), 2e-3);  // then constant without decay
  t.lr_decay_steps = 1000;
  t.lr_final_fraction = 0.1;
  // the warm-up scales the cosine: step 100 is half of the decayed rate there
  const double decayed = 2e-3 * (0.1 + 0.9 * 0.5 * (1 + std::cos(3.14159265358979323846 * 99 / 1000)));
  EXPECT_NEAR(learning_rate_at(t, 100), 0.5 * decayed, 1e-15);
  EXPECT_NEAR(learning_rate_at(t, 1001), 2e-4, 1e-15);
}

TEST(Config, PresetsAndTheirChecks) {
  const DiffusionConfig reference = preset_config("reference", 123);
  EXPECT_EQ(reference.schedule.num_timesteps, 50);
  EXPECT_EQ(reference.train.ema_decay, 0.0);
  EXPECT_EQ(reference.train.lr_decay_steps, 0);
  const DiffusionConfig best = preset_config("best", 50000);
  EXPECT_EQ(best.schedule.num_timesteps, 100);
  EXPECT_EQ(best.schedule.beta_schedule, BetaSchedule::Quadratic);
  EXPECT_EQ(best.schedule.beta_end, 0.2);
  EXPECT_EQ(best.train.ema_decay, 0.999);
  EXPECT_EQ(best.train.lr_decay_steps, 50000);
  EXPECT_EQ(best.train.lr_final_fraction, 0.1);
  // It reaches (nearly) pure noise, the reference does not.
  EXPECT_LT(NoiseSchedule(best.schedule).alphas_cumprod.back(), 0.002f);
  EXPECT_GT(NoiseSchedule(reference.schedule).alphas_cumprod.back(), 0.5f);
  // quick: best with a smaller, faster network and a warmed-up higher learning rate
  const DiffusionConfig quick = preset_config("quick", 25000);
  EXPECT_EQ(quick.model.hidden_size, 64);
  EXPECT_EQ(quick.model.embedding_size, 32);
  EXPECT_EQ(quick.train.learning_rate, 2e-3);
  EXPECT_EQ(quick.train.lr_warmup_steps, 200);
  EXPECT_EQ(quick.schedule.num_timesteps, best.schedule.num_timesteps);
  EXPECT_EQ(quick.train.ema_decay, best.train.ema_decay);
  EXPECT_EQ(quick.train.lr_decay_steps, 25000);
  EXPECT_THROW(preset_config("fast", 1), ConfigError);
  DiffusionConfig bad;
  bad.train.ema_decay = 1.0;
  EXPECT_THROW(validate(bad), ConfigError);
  bad.train.ema_decay = 0.5;
  bad.train.lr_final_fraction = 1.5;
  EXPECT_THROW(validate(bad), ConfigError);
  bad.train.lr_final_fraction = 0.5;
  bad.train.lr_decay_steps = -1;
  EXPECT_THROW(validate(bad), ConfigError);
}

}  // namespace
}  // namespace tinydiff
