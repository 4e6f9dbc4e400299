#include "tinydiff/schedule.hpp"

#include <algorithm>
#include <cmath>

namespace tinydiff {
namespace {

constexpr double kPi = 3.14159265358979323846;

// torch.linspace in float32, in float arithmetic as PyTorch's CPU kernel: the
// first half counts up from start, the second half down from end.
std::vector<float> linspace(double start_d, double end_d, int n) {
  std::vector<float> out(n);
  const float start = float(start_d), end = float(end_d);
  if (n == 1) {
    out[0] = start;
    return out;
  }
  const float step = (end - start) / float(n - 1);
  const int half = n / 2;
  // Fused multiply-adds, as PyTorch's vectorised kernel computes them: spelt
  // out so that a build without hardware FMA (-DTINYDIFF_PORTABLE=ON, wasm)
  // does not round differently (the quadratic schedule's small-t values
  // amplify one ulp of a beta to 1e-5 in sqrt(1 / alpha_bar - 1)).
  for (int i = 0; i < n; ++i) {
    out[i] = i < half ? std::fma(step, float(i), start) : std::fma(-step, float(n - 1 - i), end);
  }
  return out;
}

std::vector<float> make_betas(const ScheduleConfig& c) {
  const int T = c.num_timesteps;
  switch (c.beta_schedule) {
    case BetaSchedule::Linear:
      return linspace(c.beta_start, c.beta_end, T);
    case BetaSchedule::Quadratic: {
      std::vector<float> b = linspace(std::sqrt(c.beta_start), std::sqrt(c.beta_end), T);
      for (float& v : b) v = v * v;
      return b;
    }
    case BetaSchedule::Cosine: {
      // Nichol & Dhariwal (2021): alpha_bar(t) = cos^2(((t/T + s)/(1 + s)) pi/2),
      // beta_t = 1 - alpha_bar(t+1)/alpha_bar(t), capped at 0.999. The cosine
      // schedule defines its own range: beta_start/beta_end are not used.
      const double s = 0.008;
      auto alpha_bar = [&](double t) {
        const double c0 = std::cos((t / T + s) / (1.0 + s) * kPi / 2.0);
        return c0 * c0;
      };
      std::vector<float> b(T);
      for (int t = 0; t < T; ++t) {
        b[t] = float(std::min(1.0 - alpha_bar(t + 1) / alpha_bar(t), 0.999));
      }
      return b;
    }
    case BetaSchedule::Sigmoid: {
      // beta_t = sigmoid(linspace(-6, 6)) rescaled onto [beta_start, beta_end].
      std::vector<float> b(T);
      for (int t = 0; t < T; ++t) {
        const double z = T > 1 ? -6.0 + 12.0 * t / (T - 1) : 0.0;
        b[t] = float(1.0 / (1.0 + std::exp(-z)) * (c.beta_end - c.beta_start) + c.beta_start);
      }
      return b;
    }
  }
  return {};
}

}  // namespace

NoiseSchedule::NoiseSchedule(const ScheduleConfig& c) : config(c) {
  betas = make_betas(c);
  const int T = int(betas.size());
  alphas.resize(T);
  alphas_cumprod.resize(T);
  alphas_cumprod_prev.resize(T);
  double running = 1.0;  // PyTorch's CPU cumprod accumulates float32 in double
  for (int t = 0; t < T; ++t) {
    alphas[t] = 1.0f - betas[t];
    alphas_cumprod_prev[t] = float(running);
    running *= double(alphas[t]);
    alphas_cumprod[t] = float(running);
  }
  auto each = [T](auto fn) {
    std::vector<float> out(T);
    for (int t = 0; t < T; ++t) out[t] = fn(t);
    return out;
  };
  sqrt_alphas_cumprod = each([&](int t) { return std::sqrt(alphas_cumprod[t]); });
  sqrt_one_minus_alphas_cumprod = each([&](int t) { return std::sqrt(1.0f - alphas_cumprod[t]); });
  sqrt_inv_alphas_cumprod = each([&](int t) { return std::sqrt(1.0f / alphas_cumprod[t]); });
  sqrt_inv_alphas_cumprod_minus_one =
      each([&](int t) { return std::sqrt(1.0f / alphas_cumprod[t] - 1.0f); });
  posterior_mean_coef1 = each([&](int t) {
    return betas[t] * std::sqrt(alphas_cumprod_prev[t]) / (1.0f - alphas_cumprod[t]);
  });
  posterior_mean_coef2 = each([&](int t) {
    return (1.0f - alphas_cumprod_prev[t]) * std::sqrt(alphas[t]) / (1.0f - alphas_cumprod[t]);
  });
  variance = each([&](int t) {
    if (t == 0) return 0.0f;
    const float v = betas[t] * (1.0f - alphas_cumprod_prev[t]) / (1.0f - alphas_cumprod[t]);
    return std::max(v, 1e-20f);
  });
}

void NoiseSchedule::add_noise(float* x_t, const float* x0, const float* noise, const int* t,
                              int n) const {
  for (int i = 0; i < n; ++i) {
    const float s1 = sqrt_alphas_cumprod[t[i]], s2 = sqrt_one_minus_alphas_cumprod[t[i]];
    x_t[2 * i] = s1 * x0[2 * i] + s2 * noise[2 * i];
    x_t[2 * i + 1] = s1 * x0[2 * i + 1] + s2 * noise[2 * i + 1];
  }
}

void NoiseSchedule::reconstruct_x0(float* x0, const float* x_t, const float* eps, int t,
                                   int n) const {
  const float s1 = sqrt_inv_alphas_cumprod[t], s2 = sqrt_inv_alphas_cumprod_minus_one[t];
  for (int i = 0; i < 2 * n; ++i) x0[i] = s1 * x_t[i] - s2 * eps[i];
}

void NoiseSchedule::step(float* prev, const float* eps, const float* x_t, const float* noise,
                         int t, int n) const {
  const float s1 = sqrt_inv_alphas_cumprod[t], s2 = sqrt_inv_alphas_cumprod_minus_one[t];
  const float c1 = posterior_mean_coef1[t], c2 = posterior_mean_coef2[t];
  const float sigma = std::sqrt(variance[t]);
  for (int i = 0; i < 2 * n; ++i) {
    const float x0 = s1 * x_t[i] - s2 * eps[i];
    float mean = c1 * x0 + c2 * x_t[i];
    if (t > 0 && noise) mean += sigma * noise[i];
    prev[i] = mean;
  }
}

double NoiseSchedule::ddim_sigma(int t, int t_prev, double eta) const {
  const double ab_t = alphas_cumprod[t], ab_prev = t_prev >= 0 ? alphas_cumprod[t_prev] : 1.0;
  return eta * std::sqrt((1.0 - ab_prev) / (1.0 - ab_t) * (1.0 - ab_t / ab_prev));
}

namespace {

// The coefficients of one DDIM update from t to t_prev (-1: the data):
// x_prev = keep x0 + direction eps + sigma noise.
struct DdimUpdate {
  double ab_t;  // alpha_bar at t
  float keep, direction, sigma;
};

DdimUpdate ddim_update(const NoiseSchedule& s, int t, int t_prev, double eta) {
  const double ab_t = s.alphas_cumprod[t], ab_prev = t_prev >= 0 ? s.alphas_cumprod[t_prev] : 1.0;
  const double sigma = s.ddim_sigma(t, t_prev, eta);
  return {ab_t, float(std::sqrt(ab_prev)),
          float(std::sqrt(std::max(0.0, 1.0 - ab_prev - sigma * sigma))), float(sigma)};
}

}  // namespace

void NoiseSchedule::ddim_step(float* prev, const float* eps, const float* x_t, const float* noise,
                              int t, int t_prev, double eta, int n) const {
  const DdimUpdate u = ddim_update(*this, t, t_prev, eta);
  const float inv_sqrt_ab = float(1.0 / std::sqrt(u.ab_t)), sqrt_1m_ab = float(std::sqrt(1.0 - u.ab_t));
  const float keep = u.keep, direction = u.direction, s = u.sigma;
  for (int i = 0; i < 2 * n; ++i) {
    const float x0 = (x_t[i] - sqrt_1m_ab * eps[i]) * inv_sqrt_ab;
    float next = keep * x0 + direction * eps[i];
    if (s > 0 && noise) next += s * noise[i];
    prev[i] = next;
  }
}

void NoiseSchedule::ddim_step_from_x0(float* prev, const float* x0, const float* x_t,
                                      const float* noise, int t, int t_prev, double eta,
                                      int n) const {
  const DdimUpdate u = ddim_update(*this, t, t_prev, eta);
  const float sqrt_ab = float(std::sqrt(u.ab_t)), inv_sqrt_1m_ab = float(1.0 / std::sqrt(1.0 - u.ab_t));
  const float keep = u.keep, direction = u.direction, s = u.sigma;
  for (int i = 0; i < 2 * n; ++i) {
    const float eps = (x_t[i] - sqrt_ab * x0[i]) * inv_sqrt_1m_ab;
    float next = keep * x0[i] + direction * eps;
    if (s > 0 && noise) next += s * noise[i];
    prev[i] = next;
  }
}

double NoiseSchedule::half_log_snr(int t) const {
  const double ab = alphas_cumprod[t];
  return 0.5 * std::log(ab / (1.0 - ab));
}

std::vector<int> NoiseSchedule::ddim_timesteps(int T, int K) {
  std::vector<int> out(static_cast<size_t>(K));
  // Quadratic spacing (Song et al. 2021, section D.2): more steps near the
  // data, where the samples take their shape; the last step is always T - 1.
  for (int i = 0; i < K; ++i) {
    const double r = double(i + 1) / K;
    out[i] = std::max(i == 0 ? 0 : out[i - 1] + 1, int(std::lround(T * r * r)) - 1);
  }
  return out;
}

}  // namespace tinydiff
