// The exact log-density of a noise-prediction (DDPM) model, through its
// probability-flow ODE (Song et al. 2021): the deterministic flow whose
// marginals are the forward process's. In y = x / sqrt(acp) and
// sigma = sqrt((1 - acp) / acp) it reads dy/dsigma = eps(x, t) (the ODE DDIM
// steps along), so the change of variables of flow_density.hpp applies with
// div_y = sqrt(acp) div_x eps. The flow runs from sigma = 0 (the data) to the
// last timestep, where the model's prior is N(0, I) for x_{T-1}: the noise
// its sampler starts from (with T = 50 and the linear schedule that is not
// the forward process's own marginal there, and the density says so).
#pragma once

#include <functional>
#include <vector>

#include "tinydiff/flow_density.hpp"
#include "tinydiff/schedule.hpp"

namespace tinydiff {

// Continuous timesteps tau in [-1, T - 1]: log acp is linear between whole
// timesteps, and acp(-1) = 1 (no noise), a step below the first.
double alpha_bar_at(const NoiseSchedule& schedule, double tau);
// Its inverse: the tau at which acp equals alpha_bar (in [acp[T-1], 1]).
double timestep_of_alpha_bar(const NoiseSchedule& schedule, double alpha_bar);

// eps [n, 2] and div [n] (the trace of eps's Jacobian with respect to x) of
// a noise prediction at n points x [n, 2] and continuous timestep tau.
using NoiseField = std::function<void(const double* x, int n, double tau, double* eps, double* div)>;

// log p_0 at n points (interleaved x, y) of the probability-flow ODE of the
// noise prediction `field`, over `steps` RK4 steps even in log(sigma +
// sigma_0), sigma_0 the first timestep's: as many steps for each e-fold of
// the noise, whether the schedule ends at sigma 0.8 (linear, T = 50) or
// 100 (cosine). Throws ConfigError for steps < 1.
std::vector<double> log_density_along_probability_flow(const float* xy, int n, const NoiseField& field,
                                                       const NoiseSchedule& schedule, int steps = kLogDensitySteps);

}  // namespace tinydiff
