// DDPM noise schedules: the reference's NoiseScheduler, arrays in float32 as
// PyTorch keeps them, plus the cosine and sigmoid schedules.
#pragma once

#include <vector>

#include "tinydiff/config.hpp"
#include "tinydiff/rng.hpp"

namespace tinydiff {

class NoiseSchedule {
 public:
  explicit NoiseSchedule(const ScheduleConfig& config);

  int num_timesteps() const { return int(betas.size()); }

  // x_t = sqrt(acp[t]) x0 + sqrt(1 - acp[t]) noise, for n points with their own t.
  void add_noise(float* x_t, const float* x0, const float* noise, const int* t, int n) const;
  // x0 predicted from x_t and the predicted noise (reconstruct_x0).
  void reconstruct_x0(float* x0, const float* x_t, const float* eps, int t, int n) const;
  // One DDPM reverse step for n points sharing timestep t: the posterior mean
  // plus sqrt(variance[t]) * noise (noise may be null at t = 0, where the
  // variance is 0). Writes x_{t-1} into `prev`, which may alias `x_t`.
  void step(float* prev, const float* eps, const float* x_t, const float* noise, int t, int n) const;

  // One DDIM step (Song et al. 2021) from timestep t to t_prev (-1: to the
  // data) for n points: x_prev = sqrt(ab_prev) x0 + sqrt(1 - ab_prev - s^2) eps
  // + s noise, with s = eta sqrt((1 - ab_prev)/(1 - ab_t)) sqrt(1 - ab_t/ab_prev).
  // noise may be null when eta = 0. `prev` may alias `x_t`.
  void ddim_step(float* prev, const float* eps, const float* x_t, const float* noise, int t,
                 int t_prev, double eta, int n) const;
  // The same step from a data prediction `x0` instead of a noise prediction
  // (the noise direction is re-derived from it): the update of DPM-Solver++
  // (Lu et al. 2022), whose 2M variant passes a second-order extrapolation of
  // x0 here; eta = 0 is its ODE form, eta = 1 its SDE form.
  void ddim_step_from_x0(float* prev, const float* x0, const float* x_t, const float* noise,
                         int t, int t_prev, double eta, int n) const;
  // log(sqrt(acp[t]) / sqrt(1 - acp[t])): half the log signal-to-noise ratio.
  double half_log_snr(int t) const;
  // sigma of that step (0 when eta = 0 or t_prev = -1).
  double ddim_sigma(int t, int t_prev, double eta) const;
  // The K timesteps DDIM visits, ascending, spaced quadratically (denser near
  // t = 0), ending at T - 1; all of 0..T-1 when K = T.
  static std::vector<int> ddim_timesteps(int T, int K);

  // Schedule arrays, index t = 0..T-1 (names as the reference).
  std::vector<float> betas, alphas, alphas_cumprod, alphas_cumprod_prev;
  std::vector<float> sqrt_alphas_cumprod, sqrt_one_minus_alphas_cumprod;
  std::vector<float> sqrt_inv_alphas_cumprod, sqrt_inv_alphas_cumprod_minus_one;
  std::vector<float> posterior_mean_coef1, posterior_mean_coef2;
  std::vector<float> variance;  // betas (1 - acp_prev) / (1 - acp), clipped at 1e-20, 0 at t = 0

  ScheduleConfig config;
};

}  // namespace tinydiff
