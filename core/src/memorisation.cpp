#include "tinydiff/memorisation.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "internal/pairwise.hpp"
#include "tinydiff/config.hpp"
#include "tinydiff/metrics.hpp"

namespace tinydiff {

std::vector<uint8_t> copy_flags(const float* points, size_t n, const float* train, size_t m, double ratio) {
  if (m < 2) throw ConfigError("the copy share needs at least 2 training points (a nearest and a second nearest)");
  std::vector<uint8_t> flags(n, 0);
  // d1 <= ratio * d2 compared squared: d1^2 <= ratio^2 d2^2.
  const double ratio2 = ratio * ratio;
  for_each_distance_block(points, n, train, m, [&](size_t first_row, size_t rows, const double* d2) {
    for (size_t i = 0; i < rows; ++i) {
      const double* row = d2 + i * m;
      double first = std::numeric_limits<double>::infinity(), second = first;
      for (size_t j = 0; j < m; ++j) {
        const double d = row[j];
        if (d < first) {
          second = first;
          first = d;
        } else if (d < second) {
          second = d;
        }
      }
      flags[first_row + i] = first <= ratio2 * second;
    }
  });
  return flags;
}

double copy_share(const float* points, size_t n, const float* train, size_t m, double ratio) {
  const std::vector<uint8_t> flags = copy_flags(points, n, train, m, ratio);
  return n == 0 ? 0.0 : double(std::accumulate(flags.begin(), flags.end(), size_t(0))) / double(n);
}

MemorisationScore memorisation_score(const float* samples, size_t n, const float* train, size_t m,
                                     const float* fresh, size_t k, double ratio) {
  if (k == 0) throw ConfigError("the memorisation score needs fresh points of the data's distribution");
  MemorisationScore score;
  score.copy_share = copy_share(samples, n, train, m, ratio);
  score.base_rate = copy_share(fresh, k, train, m, ratio);
  score.excess = score.copy_share - score.base_rate;
  score.test_distance = quality_score(samples, n, fresh, k).chamfer;
  score.train_distance = quality_score(samples, n, train, m).chamfer;
  return score;
}

int64_t first_near_best(const std::vector<int64_t>& steps, const std::vector<double>& values, double within) {
  if (values.empty()) return -1;
  const double best = *std::min_element(values.begin(), values.end());
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] <= best * (1 + within)) return steps[i];
  }
  return -1;
}

int64_t first_after_fall(const std::vector<int64_t>& steps, const std::vector<double>& values, double start,
                         double share) {
  if (values.empty()) return -1;
  const double best = *std::min_element(values.begin(), values.end());
  for (size_t i = 0; i < values.size(); ++i) {
    if (start - values[i] >= share * (start - best)) return steps[i];
  }
  return -1;
}

int64_t first_reaching(const std::vector<int64_t>& steps, const std::vector<double>& excess, double margin) {
  for (size_t i = 0; i < excess.size(); ++i) {
    if (excess[i] >= margin) return steps[i];
  }
  return -1;
}

}  // namespace tinydiff
