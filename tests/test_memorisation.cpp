// The copy score (nearest training point at most a third as far as the
// second nearest) in its closed cases, and its base rate: fresh points of
// the training set's own distribution.
#include <gtest/gtest.h>

#include <vector>

#include "tinydiff/config.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/memorisation.hpp"
#include "tinydiff/rng.hpp"

namespace tinydiff {
namespace {

std::vector<float> uniform_square(size_t n, double lo, double hi, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> xy(2 * n);
  for (auto& v : xy) v = float(rng.uniform(lo, hi));
  return xy;
}

TEST(Memorisation, SamplesOnTrainingPointsAreAllCopies) {
  const auto train = make_dataset("moons", 300, 1);
  EXPECT_EQ(copy_share(train.data(), 300, train.data(), 300), 1.0);
  const auto score = memorisation_score(train.data(), 300, train.data(), 300, make_dataset("moons", 2000, 2).data(), 2000);
  EXPECT_EQ(score.copy_share, 1.0);
  EXPECT_EQ(score.train_distance, 0.0);
  EXPECT_GT(score.test_distance, 0.0);
  EXPECT_GT(score.excess, 0.5);
}

TEST(Memorisation, TheRatioDecidesBetweenTwoPoints) {
  const std::vector<float> train{0, 0, 1, 0};
  const std::vector<float> near{0.2f, 0.0f}, between{0.3f, 0.0f}, middle{0.5f, 0.0f};
  EXPECT_EQ(copy_share(near.data(), 1, train.data(), 2), 1.0);     // 0.2 <= 0.8 / 3
  EXPECT_EQ(copy_share(between.data(), 1, train.data(), 2), 0.0);  // 0.3 > 0.7 / 3
  EXPECT_EQ(copy_share(middle.data(), 1, train.data(), 2), 0.0);
  EXPECT_EQ(copy_share(middle.data(), 1, train.data(), 2, 1.0), 1.0);  // a tie passes ratio 1
  EXPECT_EQ(copy_share(middle.data(), 0, train.data(), 2), 0.0);
  EXPECT_THROW(copy_share(near.data(), 1, train.data(), 1), ConfigError);
}

// For a locally uniform density the nearest-neighbour distance ratio r has
// P(r <= c) = c^2 in 2D: 1/9 at c = 1/3. Fresh points away from the square's
// edges, against 1000 training points in it.
TEST(Memorisation, FreshPointsOfAUniformDensityScoreOneNinth) {
  const auto train = uniform_square(1000, 0, 1, 3);
  const auto fresh = uniform_square(20000, 0.2, 0.8, 4);
  EXPECT_NEAR(copy_share(fresh.data(), 20000, train.data(), 1000), 1.0 / 9.0, 0.015);
}

// Samples of the data's own distribution copy nothing: their share is the base rate.
TEST(Memorisation, SamplesOfTheDistributionScoreTheBaseRate) {
  for (const char* name : {"moons", "dino"}) {
    for (int m : {16, 256}) {
      const auto train = make_dataset(name, m, 5);
      const auto samples = make_dataset(name, 5000, 6), fresh = make_dataset(name, 5000, 7);
      const auto score = memorisation_score(samples.data(), 5000, train.data(), size_t(m), fresh.data(), 5000);
      EXPECT_NEAR(score.excess, 0.0, 0.03) << name << " m=" << m;
      EXPECT_GT(score.base_rate, 0.05) << name << " m=" << m;  // the criterion fires on fresh points too
    }
  }
}

TEST(Memorisation, TheTrainingTimes) {
  const std::vector<int64_t> steps{10, 20, 40, 80, 160};
  // The distance falls from 1.0 (untrained) to 0.2, then creeps to 0.1.
  const std::vector<double> distance{0.6, 0.2, 0.15, 0.12, 0.1};
  EXPECT_EQ(first_near_best(steps, distance, 0.1), 160);  // within 10% of 0.1: only the last
  EXPECT_EQ(first_near_best(steps, distance, 0.25), 80);
  // Of the fall of 0.9 from 1.0: 0.2 has made 0.89, 0.15 0.94.
  EXPECT_EQ(first_after_fall(steps, distance, 1.0, 0.9), 40);
  EXPECT_EQ(first_after_fall(steps, distance, 1.0, 0.85), 20);
  EXPECT_EQ(first_after_fall(steps, distance, 1.0, 0.95), 80);
  const std::vector<double> excess{-0.1, 0.0, 0.19, 0.2, 0.5};
  EXPECT_EQ(first_reaching(steps, excess, 0.2), 80);
  EXPECT_EQ(first_reaching(steps, excess, 0.6), -1);
  EXPECT_EQ(first_near_best({}, {}, 0.1), -1);
}

}  // namespace
}  // namespace tinydiff
