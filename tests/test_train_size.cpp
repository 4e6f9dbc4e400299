// Training on a seeded subset of the points (TrainConfig::train_size): the
// subset's size, order and determinism, the held-out rest with its labels,
// the model's data and held_out(), the range check, and the copy flags the
// page marks.
#include <gtest/gtest.h>

#include <numeric>
#include <set>
#include <vector>

#include "tinydiff/config.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/memorisation.hpp"

namespace tinydiff {
namespace {

TEST(TrainSize, IndicesAreASeededSortedSubset) {
  const auto a = training_indices(1000, 64, 3), b = training_indices(1000, 64, 3), c = training_indices(1000, 64, 4);
  ASSERT_EQ(a.size(), 64u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(std::set<uint32_t>(a.begin(), a.end()).size(), 64u);
  EXPECT_LT(a.back(), 1000u);
  // 0, or as many as there are points or more: all of them.
  for (size_t n : {size_t(0), size_t(1000), size_t(5000)}) {
    const auto all = training_indices(1000, n, 3);
    ASSERT_EQ(all.size(), 1000u);
    EXPECT_EQ(all.front(), 0u);
    EXPECT_EQ(all.back(), 999u);
  }
}

TEST(TrainSize, EveryPointIsChosenAboutEquallyOften) {
  std::vector<int> hits(20, 0);
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    for (uint32_t i : training_indices(20, 5, seed)) ++hits[i];
  }
  for (int h : hits) EXPECT_NEAR(h, 500, 90);  // 2000 x 5/20, binomial sd ~19
}

TEST(TrainSize, SplitKeepsLabelsWithTheirPoints) {
  const PointSet points = make_points("two_moons", 400, 1);
  const SplitPoints split = split_training_set(points, 50, 9);
  ASSERT_EQ(split.train.size(), 50u);
  ASSERT_EQ(split.held_out.size(), 350u);
  ASSERT_EQ(split.train.labels.size(), 50u);
  ASSERT_EQ(split.held_out.labels.size(), 350u);
  const auto chosen = training_indices(400, 50, 9);
  for (size_t k = 0; k < chosen.size(); ++k) {
    EXPECT_EQ(split.train.xy[2 * k], points.xy[2 * chosen[k]]);
    EXPECT_EQ(split.train.xy[2 * k + 1], points.xy[2 * chosen[k] + 1]);
    EXPECT_EQ(split.train.labels[k], points.labels[chosen[k]]);
  }
}

TEST(TrainSize, TheModelTrainsOnTheSubsetAndHoldsOutTheRest) {
  DiffusionConfig config;
  config.model.hidden_size = 8;
  config.train.train_size = 32;
  config.train.seed = 5;
  Diffusion model(config);
  const PointSet points = make_points("moons", 500, 2);
  model.set_points(points);
  EXPECT_EQ(model.num_points(), 32u);
  EXPECT_EQ(model.held_out().size(), 468u);
  EXPECT_EQ(model.data(), split_training_set(points, 32, 5).train.xy);
  model.train(3);  // trains on them
  EXPECT_EQ(model.step_count(), 3);
  // Fewer points than train_size: all of them train, none is held out.
  model.set_points(make_points("moons", 20, 2));
  EXPECT_EQ(model.num_points(), 20u);
  EXPECT_EQ(model.held_out().size(), 0u);
  // The default trains on all.
  Diffusion all(DiffusionConfig{});
  all.set_points(points);
  EXPECT_EQ(all.num_points(), 500u);
  EXPECT_TRUE(all.held_out().xy.empty());
}

TEST(TrainSize, BelowEightIsRefusedWithItsName) {
  DiffusionConfig config;
  config.train.train_size = 5;
  try {
    validate(config);
    FAIL() << "train_size 5 was accepted";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "train_size must be 0 (all the points) or at least 8 (got 5)");
  }
  config.train.train_size = 8;
  EXPECT_NO_THROW(validate(config));
}

TEST(TrainSize, CopyFlagsMarkTheSamplesCopyShareCounts) {
  const std::vector<float> train{0, 0, 1, 0, 5, 5};
  const std::vector<float> points{0.1f, 0.0f, 0.5f, 0.0f, 5.0f, 5.2f, 2.0f, 2.0f};
  const auto flags = copy_flags(points.data(), 4, train.data(), 3);
  EXPECT_EQ(flags, (std::vector<uint8_t>{1, 0, 1, 0}));
  EXPECT_EQ(copy_share(points.data(), 4, train.data(), 3), 0.5);
}

}  // namespace
}  // namespace tinydiff
