// The exact log-density of a continuous flow, by the instantaneous change of
// variables: carry x from the data (t = 0) to the noise (t = 1) along
// dx/dt = v(x, t), and log p_0(x) = log N(x_1; 0, I) + integral over t of
// div v(x_t, t) (Chen et al. 2018; Grathwohl et al. 2019). In 2D the
// divergence is the trace of a 2 x 2 Jacobian, exact and cheap: no trace
// estimator is needed. Diffusion::log_density integrates a flow model's
// network with it; a test integrates the exact velocity of Gaussian data.
#pragma once

#include <functional>
#include <vector>

namespace tinydiff {

// v [n, 2] and div [n] of the field at n points x [n, 2] and time t.
using VelocityField = std::function<void(const double* x, int n, double t, double* v, double* div)>;
// log p_1 at one point x [2] where the flow ends.
using LogPrior = std::function<double(const double* x)>;
// log N(x; 0, I) in 2D: a flow model's noise.
double standard_normal_log_density(const double* x);

// log p_0 at n points (interleaved x, y), by classic Runge-Kutta (RK4) over
// `steps` even steps of the joint ODE of x and its log-density, with p_1 the
// prior. Throws ConfigError for steps < 1.
constexpr int kLogDensitySteps = 100;
std::vector<double> log_density_along_flow(const float* xy, int n, const VelocityField& field,
                                           int steps = kLogDensitySteps,
                                           const LogPrior& log_prior = standard_normal_log_density);

}  // namespace tinydiff
