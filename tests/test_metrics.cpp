// The quality scores (Chamfer distance, precision, coverage, spread) and the
// pairwise distances under them.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "internal/pairwise.hpp"
#include "tinydiff/config.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/metrics.hpp"
#include "tinydiff/rng.hpp"

namespace tinydiff {
namespace {

TEST(Metrics, ChamferIsZeroForIdenticalSetsAndGrowsWithAShift) {
  const auto data = make_dataset("dino", 500, 0);
  const auto same = quality_score(data.data(), 500, data.data(), 500);
  EXPECT_EQ(same.chamfer, 0.0);
  EXPECT_EQ(same.precision, 1.0);
  EXPECT_EQ(same.coverage, 1.0);
  double last = 0;
  for (float shift : {0.05f, 0.2f, 1.0f}) {
    auto moved = data;
    for (size_t i = 0; i < moved.size(); i += 2) moved[i] += shift;
    const double chamfer = quality_score(moved.data(), 500, data.data(), 500).chamfer;
    EXPECT_GT(chamfer, last);
    last = chamfer;
  }
}

TEST(Metrics, SpreadScoreSeesASquashedSetAndEmptyCorners) {
  const auto line = make_dataset("line", 8000, 0);
  const auto same = spread_score(line.data(), 8000, line.data(), 8000);
  EXPECT_DOUBLE_EQ(same.std_x_ratio, 1.0);
  EXPECT_DOUBLE_EQ(same.std_y_ratio, 1.0);
  EXPECT_DOUBLE_EQ(same.corner_fill, 1.0);
  auto squashed = line;
  for (size_t i = 1; i < squashed.size(); i += 2) squashed[i] *= 0.6f;  // y only
  const auto s = spread_score(squashed.data(), 8000, line.data(), 8000);
  EXPECT_NEAR(s.std_x_ratio, 1.0, 1e-9);
  EXPECT_NEAR(s.std_y_ratio, 0.6, 1e-6);
  EXPECT_EQ(s.corner_fill, 0.0);  // nothing reaches y beyond 0.6 * 4
  // The line's corner squares hold 1/32 of a uniform fill.
  const auto uniform_share = 1.0 / 32.0;
  size_t in = 0;
  for (size_t i = 0; i < 8000; ++i) in += std::fabs(line[2 * i]) >= 1.5f && std::fabs(line[2 * i + 1]) >= 3.5f;
  EXPECT_NEAR(double(in) / 8000.0, uniform_share, 0.006);
  // The dino's bounding-box corners are empty: no corner figure.
  const auto dino = make_dataset("dino", 8000, 0);
  EXPECT_TRUE(std::isnan(spread_score(dino.data(), 8000, dino.data(), 8000).corner_fill));
}

// The Eigen expansion |a|^2 + |b|^2 - 2 a.b against the direct differences,
// across block boundaries and with a scaled second set.
TEST(Pairwise, BlocksMatchDirectDifferences) {
  Rng rng(8);
  const size_t n = kPairwiseBlockRows + 37, m = 53;
  std::vector<float> a(2 * n), b(2 * m);
  for (float& v : a) v = float(rng.uniform(-4, 4));
  for (float& v : b) v = float(rng.uniform(-4, 4));
  b[0] = a[2 * 5];  // a pair of identical points: distance exactly 0, not negative
  b[1] = a[2 * 5 + 1];
  const double scale = 0.7;
  size_t rows_seen = 0;
  for_each_distance_block(a.data(), n, b.data(), m, [&](size_t first, size_t rows, const double* d2) {
    EXPECT_EQ(first, rows_seen);
    EXPECT_LE(rows, kPairwiseBlockRows);
    rows_seen += rows;
    for (size_t i = 0; i < rows; ++i)
      for (size_t j = 0; j < m; ++j) {
        const double dx = double(a[2 * (first + i)]) - scale * b[2 * j];
        const double dy = double(a[2 * (first + i) + 1]) - scale * b[2 * j + 1];
        ASSERT_NEAR(d2[i * m + j], dx * dx + dy * dy, 1e-12) << first + i << ", " << j;
        ASSERT_GE(d2[i * m + j], 0.0);
      }
  }, scale);
  EXPECT_EQ(rows_seen, n);
  for_each_distance_block(a.data(), n, b.data(), m, [&](size_t first, size_t, const double* d2) {
    if (first == 0) {
      EXPECT_EQ(d2[5 * m + 0], 0.0);
    }
  });
}

// Straightness in its closed cases: straight paths score 0; a path that
// goes out and back scores the mean squared gap to its (zero) chord.
TEST(Straightness, StraightPathsScoreZeroADetourItsGap) {
  const int K = 4;
  const std::vector<float> x1{0.5f, -1.0f, 2.0f, 0.0f}, x0{-1.0f, 1.0f, 0.0f, 3.0f};
  std::vector<float> frames;
  for (int k = 0; k <= K; ++k) {
    for (size_t i = 0; i < x1.size(); ++i) frames.push_back(x1[i] + float(k) / K * (x0[i] - x1[i]));
  }
  EXPECT_NEAR(straightness(frames.data(), K, 2), 0.0, 1e-10);
  // Out to (1, 0) and back to where it started, in 2 steps: velocities (-2, 0) then (2, 0), chord 0.
  const std::vector<float> detour{0, 0, 1, 0, 0, 0};
  EXPECT_NEAR(straightness(detour.data(), 2, 1), 4.0, 1e-12);
  EXPECT_THROW(straightness(detour.data(), 0, 1), ConfigError);
}

}  // namespace
}  // namespace tinydiff
