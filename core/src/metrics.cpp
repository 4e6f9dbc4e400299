#include "tinydiff/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "internal/pairwise.hpp"
#include "tinydiff/assignment.hpp"
#include "tinydiff/config.hpp"
#include "tinydiff/dataset.hpp"

namespace tinydiff {

QualityScore quality_score(const float* samples, size_t n, const float* data, size_t m,
                           double radius) {
  QualityScore score;
  if (n == 0 || m == 0) {
    score.sample_to_data = score.data_to_sample = score.chamfer =
        std::numeric_limits<double>::infinity();
    return score;
  }
  // Both directions' squared minima from the blocks of the distance matrix.
  std::vector<double> best_sample(n, std::numeric_limits<double>::infinity());
  std::vector<double> best_data(m, std::numeric_limits<double>::infinity());
  for_each_distance_block(samples, n, data, m, [&](size_t first, size_t rows, const double* d2) {
    for (size_t i = 0; i < rows; ++i) {
      const double* row = d2 + i * m;
      double best = best_sample[first + i];
      for (size_t j = 0; j < m; ++j) {
        best = std::min(best, row[j]);
        best_data[j] = std::min(best_data[j], row[j]);
      }
      best_sample[first + i] = best;
    }
  });
  const double r2 = radius * radius;
  size_t near_samples = 0, near_data = 0;
  for (double d2 : best_sample) {
    score.sample_to_data += std::sqrt(d2);
    near_samples += d2 <= r2;
  }
  for (double d2 : best_data) {
    score.data_to_sample += std::sqrt(d2);
    near_data += d2 <= r2;
  }
  score.sample_to_data /= double(n);
  score.data_to_sample /= double(m);
  score.chamfer = score.sample_to_data + score.data_to_sample;
  score.precision = double(near_samples) / double(n);
  score.coverage = double(near_data) / double(m);
  return score;
}

namespace {

struct AxisStats {
  double mean_x = 0, mean_y = 0, std_x = 0, std_y = 0;
};

AxisStats axis_stats(const float* xy, size_t n) {
  AxisStats s;
  for (size_t i = 0; i < n; ++i) {
    s.mean_x += xy[2 * i];
    s.mean_y += xy[2 * i + 1];
  }
  s.mean_x /= double(n);
  s.mean_y /= double(n);
  for (size_t i = 0; i < n; ++i) {
    const double dx = xy[2 * i] - s.mean_x, dy = xy[2 * i + 1] - s.mean_y;
    s.std_x += dx * dx;
    s.std_y += dy * dy;
  }
  const double dof = n > 1 ? double(n - 1) : 1.0;
  s.std_x = std::sqrt(s.std_x / dof);
  s.std_y = std::sqrt(s.std_y / dof);
  return s;
}

}  // namespace

SpreadScore spread_score(const float* samples, size_t n, const float* data, size_t m,
                         double corner) {
  SpreadScore score;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (n == 0 || m == 0) {
    score.std_x_ratio = score.std_y_ratio = score.corner_fill = nan;
    return score;
  }
  const AxisStats s = axis_stats(samples, n), d = axis_stats(data, m);
  score.std_x_ratio = d.std_x > 0 ? s.std_x / d.std_x : nan;
  score.std_y_ratio = d.std_y > 0 ? s.std_y / d.std_y : nan;

  double lo_x = data[0], hi_x = data[0], lo_y = data[1], hi_y = data[1];
  for (size_t j = 1; j < m; ++j) {
    lo_x = std::min<double>(lo_x, data[2 * j]);
    hi_x = std::max<double>(hi_x, data[2 * j]);
    lo_y = std::min<double>(lo_y, data[2 * j + 1]);
    hi_y = std::max<double>(hi_y, data[2 * j + 1]);
  }
  auto in_corner = [&](double x, double y) {
    const bool edge_x = (x >= lo_x && x <= lo_x + corner) || (x <= hi_x && x >= hi_x - corner);
    const bool edge_y = (y >= lo_y && y <= lo_y + corner) || (y <= hi_y && y >= hi_y - corner);
    return edge_x && edge_y;
  };
  size_t data_in = 0, samples_in = 0;
  for (size_t j = 0; j < m; ++j) data_in += in_corner(data[2 * j], data[2 * j + 1]);
  for (size_t i = 0; i < n; ++i) samples_in += in_corner(samples[2 * i], samples[2 * i + 1]);
  const double data_share = double(data_in) / double(m);
  score.corner_fill = data_share >= 0.01 ? (double(samples_in) / double(n)) / data_share : nan;
  return score;
}

double wasserstein2_equal(const float* a, const float* b, size_t n) {
  if (n == 0) throw ConfigError("the 2-Wasserstein distance needs points");
  const std::vector<int> pair = squared_distance_assignment(a, b, n);
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const size_t j = size_t(pair[i]);
    const double dx = double(a[2 * i]) - b[2 * j], dy = double(a[2 * i + 1]) - b[2 * j + 1];
    sum += dx * dx + dy * dy;
  }
  return std::sqrt(sum / double(n));
}

double wasserstein2(const float* samples, size_t n, const float* data, size_t m, uint64_t seed) {
  const size_t k = std::min({n, m, kMaxW2Points});
  // A seeded k of each set (training_indices draws without replacement; all of a set of k).
  const auto cut = [&](const float* xy, size_t count, uint64_t stream) {
    std::vector<float> out;
    out.reserve(2 * k);
    for (uint32_t i : training_indices(count, k, seed ^ stream)) {
      out.push_back(xy[2 * size_t(i)]);
      out.push_back(xy[2 * size_t(i) + 1]);
    }
    return out;
  };
  const std::vector<float> a = cut(samples, n, 0x5a), b = cut(data, m, 0xda7a);
  return wasserstein2_equal(a.data(), b.data(), k);
}

double straightness(const float* frames, int steps, size_t n) {
  if (steps < 1 || n == 0) throw ConfigError("straightness needs at least one step and one path");
  const float* noise = frames;
  const float* end = frames + size_t(steps) * n * 2;
  double sum = 0;
  for (int k = 0; k < steps; ++k) {
    const float* x = frames + size_t(k) * n * 2;
    const float* next = x + n * 2;
    for (size_t i = 0; i < 2 * n; ++i) {
      const double velocity = double(steps) * (double(x[i]) - double(next[i]));
      const double straight = double(noise[i]) - double(end[i]);
      sum += (straight - velocity) * (straight - velocity);
    }
  }
  return sum / (double(steps) * double(n));
}

}  // namespace tinydiff
