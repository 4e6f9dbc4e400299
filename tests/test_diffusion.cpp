// Training and sampling behaviour: determinism, epochs, divergence, frames,
// and an end-to-end check that a briefly trained model moves toward the data.
#include <gtest/gtest.h>

#include <cmath>

#include "test_support.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/metrics.hpp"

namespace tinydiff {
namespace {

using testing::small_config;

TEST(Diffusion, SameSeedSameModelAndSamples) {
  Diffusion a(small_config(5)), b(small_config(5)), c(small_config(6));
  const auto data = make_dataset("moons", 1000, 0);
  a.set_data(data);
  b.set_data(data);
  c.set_data(data);
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(a.step(), b.step());
    c.step();
  }
  EXPECT_EQ(a.parameters().to_vector(), b.parameters().to_vector());
  EXPECT_NE(a.parameters().to_vector(), c.parameters().to_vector());
  EXPECT_EQ(a.sample(100, 3), b.sample(100, 3));
  EXPECT_NE(a.sample(100, 3), a.sample(100, 4));
}

TEST(Diffusion, EpochsAreShuffledBatchesWithDropLast) {
  Diffusion model(small_config());
  model.set_data(make_dataset("line", 100, 0));  // 3 batches of 32, 4 points dropped
  EXPECT_EQ(model.steps_per_epoch(), 3);
  model.train(2);
  EXPECT_EQ(model.epoch(), 0);
  model.train(1);
  EXPECT_EQ(model.epoch(), 1);
  model.train(3);
  EXPECT_EQ(model.epoch(), 2);
  EXPECT_EQ(model.step_count(), 6);
}

TEST(Diffusion, TinyDatasetTrainsOnEveryPoint) {
  Diffusion model(small_config());
  model.set_data({0.0f, 0.0f, 1.0f, 1.0f, -1.0f, 0.5f});
  EXPECT_EQ(model.effective_batch_size(), 3);
  EXPECT_EQ(model.steps_per_epoch(), 1);
  EXPECT_EQ(steps_per_epoch_for(3, 32), 1);
  EXPECT_EQ(steps_per_epoch_for(8000, 32), 250);
  EXPECT_EQ(steps_per_epoch_for(0, 32), 0);
  EXPECT_TRUE(std::isfinite(model.train(10)));
  EXPECT_EQ(model.epoch(), 10);
}

TEST(Diffusion, NoDataIsAClearError) {
  Diffusion model(small_config());
  EXPECT_THROW(model.step(), ConfigError);
  EXPECT_THROW(model.set_data({}), ConfigError);
  EXPECT_THROW(model.forward_frames(10, 0), ConfigError);
}

TEST(Diffusion, DivergenceStopsAndKeepsTheLastGoodParameters) {
  DiffusionConfig c = small_config();
  c.train.learning_rate = 100;  // absurd on purpose
  c.train.grad_clip = 1e9;
  Diffusion model(c);
  // Far-away points make the gradients explode.
  model.set_data(make_dataset("dino", 500, 0));
  for (auto& v : const_cast<std::vector<float>&>(model.data())) v *= 1e18f;
  std::vector<float> before;
  int steps = 0;
  while (!model.diverged() && steps < 1000) {
    before = model.parameters().to_vector();
    model.step();
    ++steps;
  }
  ASSERT_TRUE(model.diverged()) << "after " << steps << " steps";
  EXPECT_EQ(model.parameters().to_vector(), before);  // the failing step changed nothing
  for (float p : model.parameters()) ASSERT_TRUE(std::isfinite(p));
  EXPECT_THROW(model.step(), std::runtime_error);
}

TEST(Diffusion, SampleFramesRunFromNoiseToSamples) {
  Diffusion model(small_config());
  std::vector<float> frames;
  const int n = 200, T = model.num_timesteps();
  const auto samples = model.sample(n, 9, &frames);
  ASSERT_EQ(frames.size(), size_t(T + 1) * n * 2);
  EXPECT_TRUE(std::equal(samples.begin(), samples.end(), frames.end() - 2 * n));
  double sum2 = 0;
  for (int i = 0; i < 2 * n; ++i) sum2 += frames[i] * frames[i];
  EXPECT_NEAR(sum2 / (2 * n), 1.0, 0.2);  // frame 0 ~ N(0, I)
  EXPECT_EQ(model.sample(n, 9), samples);  // frames do not change the stream
}

TEST(Diffusion, ForwardFramesStartOnTheDataAndEndAsNoise) {
  DiffusionConfig c = small_config();
  c.schedule.beta_schedule = BetaSchedule::Cosine;  // reaches pure noise
  Diffusion model(c);
  model.set_data(make_dataset("circle", 2000, 0));
  const int n = 3000, T = model.num_timesteps();
  const auto frames = model.forward_frames(n, 4);
  ASSERT_EQ(frames.size(), size_t(T + 1) * n * 2);
  for (int i = 0; i < n; ++i) {
    const double r = std::hypot(frames[2 * i], frames[2 * i + 1]);
    ASSERT_TRUE(std::fabs(r - 3) < 0.1 || r < 0.1);  // frame 0: circle points
  }
  double sum = 0, sum2 = 0;
  const float* last = frames.data() + size_t(T) * n * 2;
  for (int i = 0; i < 2 * n; ++i) {
    sum += last[i];
    sum2 += last[i] * last[i];
  }
  EXPECT_NEAR(sum / (2 * n), 0.0, 0.06);
  EXPECT_NEAR(sum2 / (2 * n), 1.0, 0.1);
}

TEST(Diffusion, PredictNoiseChecksItsArguments) {
  Diffusion model(small_config());
  const std::vector<float> xy{0.5f, 0.5f, -1.0f, 2.0f};
  const auto eps = model.predict_noise(xy.data(), 2, 10);
  ASSERT_EQ(eps.size(), 4u);
  EXPECT_EQ(eps, model.predict_noise(xy.data(), 2, 10));
  EXPECT_NE(eps, model.predict_noise(xy.data(), 2, 40));
  EXPECT_THROW(model.predict_noise(xy.data(), 2, 50), ConfigError);
  EXPECT_THROW(model.predict_noise(xy.data(), 2, -1), ConfigError);
}

TEST(Diffusion, ChunkedSamplingMatchesOneChunk) {
  // n above kSampleChunk goes through several network calls per step.
  Diffusion model(small_config());
  const int n = Diffusion::kSampleChunk + 37;
  const auto all = model.sample(n, 2);
  std::vector<float> xy(all.begin(), all.begin() + 2 * 37);
  const auto eps_small = model.predict_noise(xy.data(), 37, 3);
  const auto eps_all = model.predict_noise(all.data(), n, 3);
  for (int i = 0; i < 2 * 37; ++i) EXPECT_NEAR(eps_small[i], eps_all[i], 1e-5);
}

TEST(Diffusion, WeightAverageSamplesAndIsSaved) {
  DiffusionConfig c = small_config(4);
  c.train.ema_decay = 0.99;
  Diffusion model(c);
  model.set_data(make_dataset("moons", 500, 0));
  EXPECT_EQ(model.model_parameters().to_vector(), model.parameters().to_vector());  // starts at the initial weights
  EXPECT_NE(model.model_parameters().data(), model.parameters().data());
  const auto before = model.model_parameters().to_vector();
  model.train(30);
  const auto p = model.parameters();
  const auto avg = model.model_parameters();
  double moved_avg = 0, moved_p = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    moved_avg += std::fabs(avg[i] - before[i]);
    moved_p += std::fabs(p[i] - before[i]);
  }
  EXPECT_GT(moved_avg, 0.0);
  EXPECT_LT(moved_avg, moved_p);  // the average lags the weights
  // Sampling uses the average: the same as a model holding it as its weights.
  Diffusion copy(small_config(4));
  copy.set_parameters(avg.data(), avg.size());
  EXPECT_EQ(model.sample(50, 9), copy.sample(50, 9));
  // Without an average, the model's parameters are the trained ones.
  Diffusion plain(small_config(4));
  EXPECT_EQ(plain.model_parameters().data(), plain.parameters().data());
}

TEST(EndToEnd, BriefTrainingMovesSamplesTowardTheData) {
  // Distance: symmetric Chamfer (mean nearest-neighbour distance both ways)
  // between 1000 samples and the 8000 training points.
  DiffusionConfig c = small_config(3);
  c.model.hidden_size = 64;
  c.model.embedding_size = 32;
  Diffusion model(c);
  const auto data = make_dataset("moons", 8000, 0);
  model.set_data(data);
  const auto before = model.sample(1000, 1);
  const auto s0 = quality_score(before.data(), 1000, data.data(), 8000);
  model.train(3000);
  const auto after = model.sample(1000, 1);
  const auto s1 = quality_score(after.data(), 1000, data.data(), 8000);
  EXPECT_LT(s1.chamfer, 0.5 * s0.chamfer) << "before " << s0.chamfer << " after " << s1.chamfer;
  EXPECT_LT(s1.chamfer, 0.35);
  EXPECT_GT(s1.precision, 0.4);
}

// check_options is the one check of sampling options against a model: a
// sampler of the other objective, more steps than T, a class the model lacks.
TEST(Diffusion, CheckOptionsRefusesWhatTheModelCannotTake) {
  const Diffusion model(small_config());
  SampleOptions o;
  EXPECT_NO_THROW(model.check_options(o));
  o.sampler = Sampler::Heun;
  EXPECT_TRUE(testing::contains(testing::error_of([&] { model.check_options(o); }), "samples with ddpm, ddim, dpm-solver"));
  o = SampleOptions();
  o.sampler = Sampler::Ddim;
  o.steps = model.num_timesteps() + 1;
  EXPECT_THROW(model.check_options(o), ConfigError);
  o = SampleOptions();
  o.class_label = 1;
  EXPECT_TRUE(testing::contains(testing::error_of([&] { model.check_options(o); }), "this model has no classes"));
}

}  // namespace
}  // namespace tinydiff
