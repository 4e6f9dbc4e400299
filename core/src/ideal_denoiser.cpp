#include "tinydiff/ideal_denoiser.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "internal/pairwise.hpp"
#include "tinydiff/config.hpp"

namespace tinydiff {
namespace {

// Weights below exp(-40) ~ 4e-18 of the nearest point's cannot change a
// double sum that holds that 1: skipping their exp() is exact to rounding
// and saves most of the work once the noise is small.
constexpr double kNegligible = -40.0;

// Flow's t = 0 has no noise at all (spread 0): the posterior is a point
// mass and E[eps | x_0] is undefined; the least spread used is that of
// DDPM's first step (sqrt(1e-4)), as if a little noise were left.
constexpr double kMinSpread = 1e-2;

NoiseLevel checked(size_t m, NoiseLevel level) {
  if (m == 0) throw ConfigError("no training data: the ideal denoiser needs the data points");
  return {level.keep, std::max(level.spread, kMinSpread)};
}

// mean [n, 2] = E[x0 | x_t = xy].
void posterior_mean(double* mean, const float* xy, size_t n, const float* data, size_t m, NoiseLevel level) {
  const double scale = -0.5 / (level.spread * level.spread);
  for_each_distance_block(xy, n, data, m, [&](size_t first, size_t rows, const double* d2) {
    for (size_t i = 0; i < rows; ++i) {
      const double* row = d2 + i * m;
      double lowest = std::numeric_limits<double>::infinity();
      for (size_t j = 0; j < m; ++j) lowest = std::min(lowest, row[j]);
      // Weights relative to the nearest point: exp(scale (d2 - min)) <= 1, and
      // the nearest one's is exactly 1, so the sum never underflows to 0.
      double total = 0, mean_x = 0, mean_y = 0;
      for (size_t j = 0; j < m; ++j) {
        const double z = scale * (row[j] - lowest);
        if (z < kNegligible) continue;
        const double w = std::exp(float(z));  // float exp: 2x faster in wasm, 1e-7 relative per weight
        total += w;
        mean_x += w * data[2 * j];
        mean_y += w * data[2 * j + 1];
      }
      mean[2 * (first + i)] = mean_x / total;
      mean[2 * (first + i) + 1] = mean_y / total;
    }
  }, level.keep);
}

}  // namespace

void ideal_noise(float* eps, const float* xy, size_t n, const float* data, size_t m, NoiseLevel level) {
  level = checked(m, level);
  std::vector<double> mean(2 * n);
  posterior_mean(mean.data(), xy, n, data, m, level);
  for (size_t i = 0; i < 2 * n; ++i) eps[i] = float((xy[i] - level.keep * mean[i]) / level.spread);
}

void ideal_velocity(float* v, const float* xy, size_t n, const float* data, size_t m, NoiseLevel level) {
  level = checked(m, level);
  std::vector<double> mean(2 * n);
  posterior_mean(mean.data(), xy, n, data, m, level);
  for (size_t i = 0; i < 2 * n; ++i) v[i] = float((xy[i] - level.keep * mean[i]) / level.spread - mean[i]);
}

void marginal_log_density(float* log_density, const float* xy, size_t n, const float* data, size_t m,
                          NoiseLevel level) {
  level = checked(m, level);
  const double variance = level.spread * level.spread;
  const double scale = -0.5 / variance;
  const double log_norm = -std::log(2.0 * 3.14159265358979323846 * variance) - std::log(double(m));
  for_each_distance_block(xy, n, data, m, [&](size_t first, size_t rows, const double* d2) {
    for (size_t i = 0; i < rows; ++i) {
      const double* row = d2 + i * m;
      double lowest = std::numeric_limits<double>::infinity();
      for (size_t j = 0; j < m; ++j) lowest = std::min(lowest, row[j]);
      double total = 0;
      for (size_t j = 0; j < m; ++j) {
        const double z = scale * (row[j] - lowest);
        if (z >= kNegligible) total += std::exp(float(z));
      }
      log_density[first + i] = float(log_norm + scale * lowest + std::log(total));
    }
  }, level.keep);
}

}  // namespace tinydiff
