// The optimal assignment (core/assignment.hpp) against brute force over all
// permutations on small cases, on random and geometric costs, with ties; a
// permutation always; no pair of rows gains by swapping columns on larger
// cases; refusals.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <vector>

#include "tinydiff/assignment.hpp"
#include "tinydiff/config.hpp"
#include "tinydiff/metrics.hpp"
#include "tinydiff/rng.hpp"

namespace tinydiff {
namespace {

double total(const std::vector<double>& cost, size_t n, const std::vector<int>& column) {
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += cost[i * n + size_t(column[i])];
  return sum;
}

double brute_force(const std::vector<double>& cost, size_t n) {
  std::vector<int> p(n);
  std::iota(p.begin(), p.end(), 0);
  double best = std::numeric_limits<double>::infinity();
  do best = std::min(best, total(cost, n, p));
  while (std::next_permutation(p.begin(), p.end()));
  return best;
}

bool is_permutation_of_n(std::vector<int> p, size_t n) {
  std::sort(p.begin(), p.end());
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != int(i)) return false;
  }
  return p.size() == n;
}

TEST(Assignment, MatchesBruteForceOnRandomCosts) {
  Rng rng(1);
  for (size_t n = 1; n <= 7; ++n) {
    for (int trial = 0; trial < 30; ++trial) {
      std::vector<double> cost(n * n);
      // Integers from 0 to 4: many ties.
      for (auto& c : cost) c = trial % 2 ? double(rng.below(5)) : rng.uniform(-3.0, 10.0);
      const auto column = min_cost_assignment(cost, n);
      ASSERT_TRUE(is_permutation_of_n(column, n));
      EXPECT_NEAR(total(cost, n, column), brute_force(cost, n), 1e-9) << "n " << n << " trial " << trial;
    }
  }
}

TEST(Assignment, MatchesBruteForceOnPointSets) {
  Rng rng(2);
  for (size_t n = 2; n <= 7; ++n) {
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<float> a(2 * n), b(2 * n);
      for (auto& v : a) v = float(rng.normal());
      for (auto& v : b) v = float(rng.uniform(-2.0, 2.0));
      std::vector<double> cost(n * n);
      for (size_t i = 0; i < n; ++i) {
        for (size_t j = 0; j < n; ++j) {
          cost[i * n + j] = std::pow(double(a[2 * i]) - b[2 * j], 2) + std::pow(double(a[2 * i + 1]) - b[2 * j + 1], 2);
        }
      }
      const auto column = squared_distance_assignment(a.data(), b.data(), n);
      EXPECT_NEAR(total(cost, n, column), brute_force(cost, n), 1e-6);
    }
  }
}

TEST(Assignment, NoTwoRowsGainBySwappingOnLargerSets) {
  Rng rng(3);
  const size_t n = 300;
  std::vector<float> a(2 * n), b(2 * n);
  for (auto& v : a) v = float(rng.normal());
  for (auto& v : b) v = float(rng.uniform(-3.0, 3.0));
  const auto column = squared_distance_assignment(a.data(), b.data(), n);
  ASSERT_TRUE(is_permutation_of_n(column, n));
  const auto d2 = [&](size_t i, int j) {
    return std::pow(double(a[2 * i]) - b[2 * size_t(j)], 2) + std::pow(double(a[2 * i + 1]) - b[2 * size_t(j) + 1], 2);
  };
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = i + 1; k < n; ++k) {
      EXPECT_LE(d2(i, column[i]) + d2(k, column[k]), d2(i, column[k]) + d2(k, column[i]) + 1e-9);
    }
  }
  // The identity pairing of a set with itself costs nothing: the plan is the identity.
  const auto self = squared_distance_assignment(a.data(), a.data(), n);
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(self[i], int(i));
}

TEST(Assignment, RefusesBadCosts) {
  EXPECT_THROW(min_cost_assignment({1.0, 2.0, 3.0}, 2), ConfigError);
  EXPECT_THROW(min_cost_assignment({1.0, std::numeric_limits<double>::infinity(), 0.0, 1.0}, 2), ConfigError);
  EXPECT_TRUE(min_cost_assignment({}, 0).empty());
}

// W2 in its closed cases: a set against itself, a shift (every pairing
// moves each point by the shift, and the identity pairing is optimal), and
// two points swapped.
TEST(Wasserstein2, ClosedCases) {
  Rng rng(4);
  const size_t n = 500;
  std::vector<float> a(2 * n), shifted(2 * n);
  for (auto& v : a) v = float(rng.normal());
  for (size_t i = 0; i < n; ++i) {
    shifted[2 * i] = a[2 * i] + 0.3f;
    shifted[2 * i + 1] = a[2 * i + 1] - 0.4f;
  }
  EXPECT_EQ(wasserstein2_equal(a.data(), a.data(), n), 0.0);
  EXPECT_NEAR(wasserstein2_equal(a.data(), shifted.data(), n), 0.5, 1e-6);
  const std::vector<float> p{0, 0, 1, 0}, q{1, 0, 0, 0};
  EXPECT_EQ(wasserstein2_equal(p.data(), q.data(), 2), 0.0);
  // Sets of other sizes: the larger cut to the smaller; the same seed, the same answer.
  const double w = wasserstein2(a.data(), 200, shifted.data(), n, 7);
  EXPECT_EQ(w, wasserstein2(a.data(), 200, shifted.data(), n, 7));
  EXPECT_GT(w, 0.3);
  EXPECT_THROW(wasserstein2(a.data(), 0, shifted.data(), n, 7), ConfigError);
}

}  // namespace
}  // namespace tinydiff
