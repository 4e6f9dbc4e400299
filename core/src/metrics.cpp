#include "tinydiff/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace tinydiff {

QualityScore quality_score(const float* samples, size_t n, const float* data, size_t m,
                           double radius) {
  QualityScore score;
  if (n == 0 || m == 0) {
    score.sample_to_data = score.data_to_sample = score.chamfer =
        std::numeric_limits<double>::infinity();
    return score;
  }
  // One pass over all pairs keeps both directions' squared minima.
  std::vector<float> best_sample(n, std::numeric_limits<float>::infinity());
  std::vector<float> best_data(m, std::numeric_limits<float>::infinity());
  for (size_t j = 0; j < m; ++j) {
    const float dx0 = data[2 * j], dy0 = data[2 * j + 1];
    float best = best_data[j];
    for (size_t i = 0; i < n; ++i) {
      const float dx = samples[2 * i] - dx0, dy = samples[2 * i + 1] - dy0;
      const float d2 = dx * dx + dy * dy;
      best = std::min(best, d2);
      best_sample[i] = std::min(best_sample[i], d2);
    }
    best_data[j] = best;
  }
  const double r2 = radius * radius;
  size_t near_samples = 0, near_data = 0;
  for (float d2 : best_sample) {
    score.sample_to_data += std::sqrt(double(d2));
    near_samples += double(d2) <= r2;
  }
  for (float d2 : best_data) {
    score.data_to_sample += std::sqrt(double(d2));
    near_data += double(d2) <= r2;
  }
  score.sample_to_data /= double(n);
  score.data_to_sample /= double(m);
  score.chamfer = score.sample_to_data + score.data_to_sample;
  score.precision = double(near_samples) / double(n);
  score.coverage = double(near_data) / double(m);
  return score;
}

}  // namespace tinydiff
