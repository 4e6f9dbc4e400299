// Dataset recipes (statistics per preset) and their determinism.
#include <gtest/gtest.h>

#include <cmath>

#include "tinydiff/config.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/rng.hpp"

namespace tinydiff {
namespace {

struct Stats {
  double mean_x = 0, mean_y = 0, sd_x = 0, sd_y = 0, min_x = 1e9, max_x = -1e9, min_y = 1e9,
         max_y = -1e9;
};

Stats stats(const std::vector<float>& xy) {
  Stats s;
  const size_t n = xy.size() / 2;
  for (size_t i = 0; i < n; ++i) {
    s.mean_x += xy[2 * i];
    s.mean_y += xy[2 * i + 1];
    s.min_x = std::min<double>(s.min_x, xy[2 * i]);
    s.max_x = std::max<double>(s.max_x, xy[2 * i]);
    s.min_y = std::min<double>(s.min_y, xy[2 * i + 1]);
    s.max_y = std::max<double>(s.max_y, xy[2 * i + 1]);
  }
  s.mean_x /= n;
  s.mean_y /= n;
  for (size_t i = 0; i < n; ++i) {
    s.sd_x += (xy[2 * i] - s.mean_x) * (xy[2 * i] - s.mean_x);
    s.sd_y += (xy[2 * i + 1] - s.mean_y) * (xy[2 * i + 1] - s.mean_y);
  }
  s.sd_x = std::sqrt(s.sd_x / n);
  s.sd_y = std::sqrt(s.sd_y / n);
  return s;
}

TEST(Dataset, DinoMatchesTheRawDrawing) {
  const auto xy = make_dataset("dino", 8000, 0);
  ASSERT_EQ(xy.size(), 16000u);
  // Expected moments from the 142 raw points under the recipe's map, plus
  // the jitter's variance (0.15 raw units).
  const auto& raw = dino_raw_points();
  std::vector<float> mapped;
  for (size_t i = 0; i < raw.size() / 2; ++i) {
    mapped.push_back(float((raw[2 * i] / 54.0 - 1) * 4));
    mapped.push_back(float((raw[2 * i + 1] / 48.0 - 1) * 4));
  }
  const Stats want = stats(mapped), got = stats(xy);
  const double jx = 0.15 * 4 / 54, jy = 0.15 * 4 / 48;
  EXPECT_NEAR(got.mean_x, want.mean_x, 0.05);
  EXPECT_NEAR(got.mean_y, want.mean_y, 0.05);
  EXPECT_NEAR(got.sd_x, std::sqrt(want.sd_x * want.sd_x + jx * jx), 0.05);
  EXPECT_NEAR(got.sd_y, std::sqrt(want.sd_y * want.sd_y + jy * jy), 0.05);
  EXPECT_NEAR(got.sd_y, 2.2, 0.1);  // the spread the issue quotes for the data
  EXPECT_GT(got.min_x, want.min_x - 0.1);
  EXPECT_LT(got.max_y, want.max_y + 0.1);
}

TEST(Dataset, MoonsLieOnTwoArcs) {
  const auto xy = make_dataset("moons", 8000, 1);
  const Stats s = stats(xy);
  EXPECT_NEAR(s.mean_x, 0.6, 0.02);   // ((0 + 1)/2 + 0.3) * 2 - 1
  EXPECT_NEAR(s.mean_y, 0.65, 0.02);  // ((2/pi + 0.5 - 2/pi)/2 + 0.3) * 3 - 1
  int off = 0;
  for (size_t i = 0; i < 8000; ++i) {
    const double x = (xy[2 * i] + 1) / 2 - 0.3, y = (xy[2 * i + 1] + 1) / 3 - 0.3;
    const double outer = std::fabs(std::hypot(x, y) - 1);
    const double inner = std::fabs(std::hypot(x - 1, y - 0.5) - 1);
    off += std::min(outer, inner) > 0.15;  // 5 noise sd
  }
  EXPECT_EQ(off, 0);
}

TEST(Dataset, LineIsUniformOnARectangle) {
  const auto xy = make_dataset("line", 8000, 2);
  const Stats s = stats(xy);
  EXPECT_NEAR(s.mean_x, 0, 0.05);
  EXPECT_NEAR(s.mean_y, 0, 0.1);
  EXPECT_NEAR(s.sd_x, 4 / std::sqrt(12.0), 0.03);
  EXPECT_NEAR(s.sd_y, 8 / std::sqrt(12.0), 0.06);
  EXPECT_GE(s.min_x, -2);
  EXPECT_LT(s.max_x, 2);
  EXPECT_GE(s.min_y, -4);
  EXPECT_LT(s.max_y, 4);
}

TEST(Dataset, CircleHasRadiusThreeAndTheOriginQuirk) {
  const auto xy = make_dataset("circle", 8000, 3);
  int on_circle = 0, at_origin = 0;
  for (size_t i = 0; i < 8000; ++i) {
    const double r = std::hypot(xy[2 * i], xy[2 * i + 1]);
    on_circle += std::fabs(r - 3) <= 0.09 + 1e-6;
    at_origin += r <= 0.09 + 1e-6;
  }
  EXPECT_EQ(on_circle + at_origin, 8000);
  // Both coordinates snap to 0 with probability 0.2 * 0.2.
  EXPECT_NEAR(at_origin / 8000.0, 0.04, 0.01);
}

TEST(Dataset, SameSeedSamePointsOtherSeedOthers) {
  for (const auto& name : dataset_names()) {
    EXPECT_EQ(make_dataset(name, 500, 11), make_dataset(name, 500, 11)) << name;
    EXPECT_NE(make_dataset(name, 500, 11), make_dataset(name, 500, 12)) << name;
  }
}

TEST(Dataset, RejectsUnknownNamesAndSizes) {
  EXPECT_THROW(make_dataset("spiral", 10, 0), ConfigError);
  EXPECT_THROW(make_dataset("dino", 0, 0), ConfigError);
  EXPECT_THROW(make_dataset("dino", -5, 0), ConfigError);
  EXPECT_THROW(check_points({}), ConfigError);
  EXPECT_THROW(check_points({1.0f}), ConfigError);
  EXPECT_THROW(check_points({1.0f, std::nanf("")}), ConfigError);
  EXPECT_NO_THROW(check_points({1.0f, 2.0f}));
}

}  // namespace
}  // namespace tinydiff
