// The RNG: its stream is pinned (files and tests depend on it) and its
// distributions have the right moments and ranges.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tinydiff/rng.hpp"

namespace tinydiff {
namespace {

TEST(Rng, StreamIsPinned) {
  // These values pin the stream: the wasm build must produce the same ones.
  Rng rng(42);
  const uint64_t first = rng.next_u64();
  const uint64_t second = rng.next_u64();
  EXPECT_EQ(first, 1546998764402558742ULL) << std::hex << first;
  EXPECT_EQ(second, 6990951692964543102ULL) << std::hex << second;
}

TEST(Rng, MomentsAndRanges) {
  Rng rng(7);
  const int n = 200000;
  double sum = 0, sum2 = 0, usum = 0;
  std::vector<int> counts(7, 0);
  std::vector<double> z(n);
  rng.fill_normal(z.data(), z.size());
  for (int i = 0; i < n; ++i) {
    sum += z[i];
    sum2 += z[i] * z[i];
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    usum += u;
    counts[rng.below(7)]++;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sum2 / n, 1.0, 0.01);
  EXPECT_NEAR(usum / n, 0.5, 0.005);
  for (int c : counts) EXPECT_NEAR(c, n / 7.0, 5 * std::sqrt(n / 7.0));
}

}  // namespace
}  // namespace tinydiff
