// The ideal denoiser of a finite dataset: with the training points x0_i
// taken as the data distribution (each with weight 1/m), a forward process
// x_t = keep x0 + spread eps (DDPM: keep = sqrt(abar_t), spread =
// sqrt(1 - abar_t); flow: 1 - t and t) gives a posterior over which point
// x_t came from,
//
//   w_i(x_t) = softmax_i( -|x_t - keep x0_i|^2 / (2 spread^2) ),
//
// and the best possible predictions in mean squared error are
//
//   E[x0 | x_t] = sum_i w_i x0_i,   E[eps | x_t] = (x_t - keep E[x0 | x_t]) / spread,
//   E[eps - x0 | x_t] (the flow velocity) = E[eps | x_t] - E[x0 | x_t].
//
// A network trained on the points is pulled towards this function; it is
// what the loss's floor is made of (loss_by_timestep), and sampling with it
// lands on training points (memorisation). Computed in log-sum-exp form over
// the pairwise distances (internal/pairwise.hpp, Eigen), in double.
#pragma once

#include <cstddef>

namespace tinydiff {

struct NoiseLevel {
  double keep;    // the data's share of x_t
  double spread;  // the noise's
};

// eps [n, 2] = E[eps | x_t = xy] for data [m, 2] (m >= 1; a spread below
// 0.01, as at flow's t = 0, is taken as 0.01).
void ideal_noise(float* eps, const float* xy, size_t n, const float* data, size_t m, NoiseLevel level);
// v [n, 2] = E[eps - x0 | x_t = xy].
void ideal_velocity(float* v, const float* xy, size_t n, const float* data, size_t m, NoiseLevel level);

// log q(x_t) at each of xy [n, 2]: the forward marginal, a mixture of m
// Gaussians N(keep x0_i, spread^2 I) with weights 1/m.
void marginal_log_density(float* log_density, const float* xy, size_t n, const float* data, size_t m, NoiseLevel level);

}  // namespace tinydiff
