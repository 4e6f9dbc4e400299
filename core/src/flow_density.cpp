#include "tinydiff/flow_density.hpp"

#include <cmath>

#include "tinydiff/config.hpp"

namespace tinydiff {

double standard_normal_log_density(const double* x) {
  constexpr double kLog2Pi = 1.8378770664093453;
  return -0.5 * (x[0] * x[0] + x[1] * x[1]) - kLog2Pi;
}

std::vector<double> log_density_along_flow(const float* xy, int n, const VelocityField& field, int steps,
                                           const LogPrior& log_prior) {
  if (steps < 1) throw ConfigError("the log-density needs at least one step");
  const size_t m = 2 * size_t(n);
  std::vector<double> x(xy, xy + m), integral(size_t(n), 0.0);
  std::vector<double> probe(m), v[4], div[4];
  for (int s = 0; s < 4; ++s) {
    v[s].resize(m);
    div[s].resize(size_t(n));
  }
  const double h = 1.0 / steps;
  for (int k = 0; k < steps; ++k) {
    const double t = k * h;
    // RK4's four stages of (x, log-density): at t, twice at t + h/2, at t + h.
    const double offsets[4] = {0.0, 0.5, 0.5, 1.0};
    for (int s = 0; s < 4; ++s) {
      for (size_t i = 0; i < m; ++i) probe[i] = s == 0 ? x[i] : x[i] + offsets[s] * h * v[s - 1][i];
      field(probe.data(), n, t + offsets[s] * h, v[s].data(), div[s].data());
    }
    for (size_t i = 0; i < m; ++i) x[i] += h / 6 * (v[0][i] + 2 * v[1][i] + 2 * v[2][i] + v[3][i]);
    for (size_t i = 0; i < size_t(n); ++i) integral[i] += h / 6 * (div[0][i] + 2 * div[1][i] + 2 * div[2][i] + div[3][i]);
  }
  std::vector<double> out(static_cast<size_t>(n));
  for (size_t i = 0; i < size_t(n); ++i) out[i] = log_prior(&x[2 * i]) + integral[i];
  return out;
}

}  // namespace tinydiff
