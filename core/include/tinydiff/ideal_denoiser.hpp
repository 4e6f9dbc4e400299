// The ideal denoiser of a finite dataset: with the training points x0_i
// taken as the data distribution (each with weight 1/m), the forward process
// x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps gives a posterior over which
// point x_t came from,
//
//   w_i(x_t) = softmax_i( -|x_t - sqrt(abar_t) x0_i|^2 / (2 (1 - abar_t)) ),
//
// and the best possible noise prediction in mean squared error is
//
//   E[eps | x_t] = (x_t - sqrt(abar_t) sum_i w_i x0_i) / sqrt(1 - abar_t).
//
// A network trained on the points is pulled towards this function; it is
// what the loss's floor is made of (loss_by_timestep), and sampling with it
// lands on training points (memorisation). Computed in log-sum-exp form over
// the pairwise distances (internal/pairwise.hpp, Eigen), in double.
#pragma once

#include <cstddef>

namespace tinydiff {

// eps [n, 2] = E[eps | x_t = xy] for data [m, 2] at abar = alphas_cumprod[t]
// (0 < abar < 1). m >= 1.
void ideal_noise(float* eps, const float* xy, size_t n, const float* data, size_t m, double abar);

// log q(x_t) at each of xy [n, 2]: the forward marginal at abar, a mixture of
// m Gaussians N(sqrt(abar) x0_i, (1 - abar) I) with weights 1/m.
void marginal_log_density(float* log_density, const float* xy, size_t n, const float* data, size_t m, double abar);

}  // namespace tinydiff
