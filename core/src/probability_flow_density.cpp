#include "tinydiff/probability_flow_density.hpp"

#include <algorithm>
#include <cmath>

#include "tinydiff/config.hpp"

namespace tinydiff {
namespace {

// log acp at whole timestep k in [-1, T - 1].
double log_alpha_bar(const NoiseSchedule& schedule, int k) {
  return k < 0 ? 0.0 : std::log(double(schedule.alphas_cumprod[size_t(k)]));
}

}  // namespace

double alpha_bar_at(const NoiseSchedule& schedule, double tau) {
  const int last = schedule.num_timesteps() - 1;
  tau = std::clamp(tau, -1.0, double(last));
  const int k = std::min(int(std::floor(tau)), last - 1);
  const double w = tau - k;
  return std::exp((1 - w) * log_alpha_bar(schedule, k) + w * log_alpha_bar(schedule, k + 1));
}

double timestep_of_alpha_bar(const NoiseSchedule& schedule, double alpha_bar) {
  const int last = schedule.num_timesteps() - 1;
  const double target = std::log(alpha_bar);
  // log acp falls with the timestep: find the whole step k with target in [log acp(k + 1), log acp(k)].
  for (int k = -1; k < last; ++k) {
    const double high = log_alpha_bar(schedule, k), low = log_alpha_bar(schedule, k + 1);
    if (target >= low) return high > low ? k + std::clamp((high - target) / (high - low), 0.0, 1.0) : double(k);
  }
  return double(last);
}

std::vector<double> log_density_along_probability_flow(const float* xy, int n, const NoiseField& field,
                                                       const NoiseSchedule& schedule, int steps) {
  const double alpha_bar_end = double(schedule.alphas_cumprod.back());
  const double sigma_max = std::sqrt((1 - alpha_bar_end) / alpha_bar_end);
  // sigma = sigma_0 (e^{uL} - 1), L = log(1 + sigma_max / sigma_0): even steps in log(sigma + sigma_0), as
  // many per e-fold of the noise from sigma_0 (the first timestep's) up, and linear below it.
  const double alpha_bar_0 = double(schedule.alphas_cumprod.front());
  const double sigma_0 = std::max(std::sqrt((1 - alpha_bar_0) / alpha_bar_0), 1e-4);
  const double L = std::log1p(sigma_max / sigma_0);
  std::vector<double> x, eps;
  // In u: dy/du = eps(sqrt(acp) y, tau) dsigma/du.
  const VelocityField in_y = [&](const double* y, int m, double u, double* v, double* div) {
    const double sigma = sigma_0 * std::expm1(u * L), dsigma_du = L * (sigma + sigma_0);
    const double alpha_bar = 1 / (1 + sigma * sigma), scale = std::sqrt(alpha_bar);
    x.resize(2 * size_t(m));
    eps.resize(2 * size_t(m));
    for (size_t i = 0; i < x.size(); ++i) x[i] = scale * y[i];
    field(x.data(), m, timestep_of_alpha_bar(schedule, alpha_bar), eps.data(), div);
    for (size_t i = 0; i < x.size(); ++i) v[i] = dsigma_du * eps[i];
    for (int i = 0; i < m; ++i) div[i] *= dsigma_du * scale;
  };
  // x_{T-1} = sqrt(acp_end) y ~ N(0, I): p(y) = N(sqrt(acp_end) y; 0, I) acp_end in 2D.
  const LogPrior prior = [&](const double* y) {
    const double x_end[2] = {std::sqrt(alpha_bar_end) * y[0], std::sqrt(alpha_bar_end) * y[1]};
    return standard_normal_log_density(x_end) + std::log(alpha_bar_end);
  };
  return log_density_along_flow(xy, n, in_y, steps, prior);
}

}  // namespace tinydiff
