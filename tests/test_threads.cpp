// The data-parallel training step (Diffusion::set_threads) and its pool:
// the same gradients as one thread up to float rounding, for every
// objective and for conditional models, shards of unequal size weighted by
// their rows, results that repeat exactly for a given thread count, and
// errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>

#include "internal/worker_pool.hpp"
#include "test_support.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"

namespace tinydiff {
namespace {

DiffusionConfig threads_config(Objective objective = Objective::Eps, int classes = 0) {
  return testing::small_config(3, objective, classes);
}

float max_abs(const std::vector<float>& v) {
  float m = 0;
  for (float x : v) m = std::max(m, std::fabs(x));
  return m;
}

// One step on the same batch with 1 and with `threads` threads: the loss and
// every gradient agree to float rounding (1e-5 of the largest gradient).
void expect_same_step(const DiffusionConfig& config, int batch, int threads) {
  DiffusionConfig c = config;
  c.train.batch_size = batch;
  const PointSet points = make_points(c.model.num_classes > 0 ? "two_moons" : "moons", 500, 1);
  Diffusion one(c), many(c);
  one.set_points(points);
  many.set_points(points);
  many.set_threads(threads);
  ASSERT_EQ(many.threads(), threads);
  const float loss_one = one.step(), loss_many = many.step();
  EXPECT_NEAR(loss_one, loss_many, 1e-6 * std::fabs(loss_one));
  const auto g1 = one.gradients().to_vector(), g2 = many.gradients().to_vector();
  const float scale = max_abs(g1);
  ASSERT_GT(scale, 0);
  for (size_t i = 0; i < g1.size(); ++i) ASSERT_NEAR(g1[i], g2[i], 1e-5 * scale) << "gradient " << i;
  EXPECT_NEAR(one.last_grad_norm(), many.last_grad_norm(), 1e-5 * one.last_grad_norm());
}

TEST(Threads, SameGradientsAsOneThread) {
  expect_same_step(threads_config(), 64, 2);
  expect_same_step(threads_config(), 64, 4);
}

TEST(Threads, UnequalShardsAreWeightedByTheirRows) {
  expect_same_step(threads_config(), 50, 3);  // shards of 16, 17 and 17 rows
  expect_same_step(threads_config(), 97, 2);
}

TEST(Threads, FlowObjectiveAndClasses) {
  expect_same_step(threads_config(Objective::Flow), 64, 2);
  expect_same_step(threads_config(Objective::Eps, 2), 64, 2);
  expect_same_step(threads_config(Objective::Flow, 2), 80, 3);
}

TEST(Threads, SmallBatchesStayOnOneShard) {
  // 16 rows cannot be split: the step is the one-thread step, bit for bit.
  DiffusionConfig c = threads_config();
  c.train.batch_size = 16;
  Diffusion one(c), many(c);
  const auto data = make_dataset("moons", 300, 0);
  one.set_data(data);
  many.set_data(data);
  many.set_threads(4);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(one.step(), many.step());
  EXPECT_EQ(one.parameters().to_vector(), many.parameters().to_vector());
}

TEST(Threads, RepeatExactlyForAThreadCount) {
  DiffusionConfig c = threads_config();
  c.train.batch_size = 128;
  c.train.ema_decay = 0.99;
  const auto data = make_dataset("dino", 1000, 0);
  Diffusion a(c), b(c);
  a.set_data(data);
  b.set_data(data);
  a.set_threads(3);
  b.set_threads(3);
  for (int i = 0; i < 30; ++i) ASSERT_EQ(a.step(), b.step());
  EXPECT_EQ(a.parameters().to_vector(), b.parameters().to_vector());
  EXPECT_EQ(a.model_parameters().to_vector(), b.model_parameters().to_vector());
  // and training goes on as well as on one thread
  Diffusion one(c);
  one.set_data(data);
  one.train(30);
  const auto pa = a.parameters().to_vector(), p1 = one.parameters().to_vector();
  double diff = 0;
  for (size_t i = 0; i < pa.size(); ++i) diff = std::max(diff, double(std::fabs(pa[i] - p1[i])));
  EXPECT_LT(diff, 1e-3);  // 30 AdamW steps from the same batches: rounding only
}

TEST(Threads, ChangingTheCountKeepsTraining) {
  DiffusionConfig c = threads_config();
  c.train.batch_size = 64;
  Diffusion model(c);
  model.set_data(make_dataset("line", 400, 0));
  model.set_threads(2);
  model.train(5);
  model.set_threads(4);
  model.train(5);
  model.set_threads(1);
  model.train(5);
  EXPECT_EQ(model.step_count(), 15);
  EXPECT_EQ(model.threads(), 1);
}

TEST(Threads, BadCountsAreRefused) {
  Diffusion model(threads_config());
  EXPECT_THROW(model.set_threads(0), ConfigError);
  EXPECT_THROW(model.set_threads(Diffusion::kMaxThreads + 1), ConfigError);
  EXPECT_TRUE(testing::contains(testing::error_of([&] { model.set_threads(-2); }),
                                "threads must be an integer from 1 to 64 (got -2)"));
}

TEST(WorkerPool, RunsEveryIndexOnceAndRethrows) {
  WorkerPool pool(3);
  ASSERT_EQ(pool.size(), 3);
  for (int round = 0; round < 200; ++round) {
    std::atomic<int> mask{0};
    pool.run([&](int i) { mask.fetch_or(1 << i); });
    ASSERT_EQ(mask.load(), 7);
  }
  EXPECT_THROW(pool.run([](int i) {
                 if (i == 2) throw std::runtime_error("task 2 failed");
               }),
               std::runtime_error);
  std::atomic<int> after{0};
  pool.run([&](int) { after.fetch_add(1); });  // the pool still works
  EXPECT_EQ(after.load(), 3);
}

}  // namespace
}  // namespace tinydiff
