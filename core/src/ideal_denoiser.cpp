#include "tinydiff/ideal_denoiser.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "internal/pairwise.hpp"
#include "tinydiff/config.hpp"

namespace tinydiff {
namespace {

// Weights below exp(-40) ~ 4e-18 of the nearest point's cannot change a
// double sum that holds that 1: skipping their exp() is exact to rounding
// and saves most of the work once the noise is small.
constexpr double kNegligible = -40.0;

void check(size_t m, double abar) {
  if (m == 0) throw ConfigError("no training data: the ideal denoiser needs the data points");
  if (!(abar > 0 && abar < 1)) throw ConfigError("the ideal denoiser needs 0 < alphas_cumprod[t] < 1");
}

}  // namespace

void ideal_noise(float* eps, const float* xy, size_t n, const float* data, size_t m, double abar) {
  check(m, abar);
  const double keep = std::sqrt(abar), spread = std::sqrt(1.0 - abar);
  const double scale = -0.5 / (1.0 - abar);
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
      const size_t k = first + i;
      eps[2 * k] = float((xy[2 * k] - keep * mean_x / total) / spread);
      eps[2 * k + 1] = float((xy[2 * k + 1] - keep * mean_y / total) / spread);
    }
  }, keep);
}

void marginal_log_density(float* log_density, const float* xy, size_t n, const float* data, size_t m,
                          double abar) {
  check(m, abar);
  const double variance = 1.0 - abar;
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
  }, std::sqrt(abar));
}

}  // namespace tinydiff
