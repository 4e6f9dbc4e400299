#include "tinydiff/diffusion.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "tinydiff/config_fields.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/kernels.hpp"

namespace tinydiff {
namespace {

// The parameter stream is derived from the seed so that changing the data
// order (a different training stream) keeps the same initial network.
constexpr uint64_t kInitStream = 0x5eed0001;
constexpr uint64_t kTrainStream = 0x5eed0002;

const DiffusionConfig& validated(const DiffusionConfig& config) {
  validate(config);
  return config;
}

void check_count(int n, const char* what) {
  if (n < 1 || n > Diffusion::kMaxSamples) {
    throw ConfigError(std::string(what) + " must be an integer from 1 to " +
                      std::to_string(Diffusion::kMaxSamples) + " (got " + std::to_string(n) + ")");
  }
}

}  // namespace

Diffusion::Diffusion(const DiffusionConfig& config)
    : config_(validated(config)),
      schedule_(config.schedule),
      mlp_(config.model),
      rng_(config.train.seed ^ kTrainStream) {
  const size_t P = mlp_.num_params();
  params_.assign(P, 0.0f);
  grads_.assign(P, 0.0f);
  adam_m_.assign(P, 0.0f);
  adam_v_.assign(P, 0.0f);
  Rng init(config.train.seed ^ kInitStream);
  init_parameters(params_.data(), mlp_.layout(), init);
  restart_average();
}

void Diffusion::restart_average() {
  if (config_.train.ema_decay > 0) ema_ = params_;
}

void Diffusion::set_data(std::vector<float> xy) {
  check_points(xy);
  data_ = std::move(xy);
  order_.resize(num_points());
  std::iota(order_.begin(), order_.end(), 0u);
  cursor_ = order_.size();  // the next batch starts a fresh shuffle
}

int Diffusion::effective_batch_size() const {
  return int(std::min<size_t>(size_t(config_.train.batch_size), std::max<size_t>(num_points(), 1)));
}

int64_t steps_per_epoch_for(size_t num_points, int batch_size) {
  if (num_points == 0 || batch_size < 1) return 0;
  return int64_t(num_points / std::min(num_points, size_t(batch_size)));
}

int64_t Diffusion::steps_per_epoch() const {
  return steps_per_epoch_for(num_points(), config_.train.batch_size);
}

void Diffusion::next_batch(float* x0, int B) {
  if (cursor_ + size_t(B) > order_.size()) {  // a new epoch: reshuffle (Fisher-Yates)
    for (size_t i = order_.size() - 1; i > 0; --i) std::swap(order_[i], order_[rng_.below(i + 1)]);
    cursor_ = 0;
  }
  for (int b = 0; b < B; ++b) {
    const uint32_t idx = order_[cursor_++];
    x0[2 * b] = data_[2 * size_t(idx)];
    x0[2 * b + 1] = data_[2 * size_t(idx) + 1];
  }
  if (cursor_ + size_t(B) > order_.size()) ++epoch_;  // drop_last: the rest is skipped
}

float Diffusion::step() {
  if (data_.empty()) throw ConfigError("no training data: set a dataset first");
  if (diverged_) {
    throw std::runtime_error(
        "training has diverged (the loss became NaN or infinite); reset the model or lower the "
        "learning rate");
  }
  const int B = effective_batch_size();
  const int T = num_timesteps();
  x0_.resize(2 * size_t(B));
  noise_.resize(2 * size_t(B));
  x_t_.resize(2 * size_t(B));
  t_.resize(size_t(B));

  next_batch(x0_.data(), B);
  rng_.fill_normal(noise_.data(), noise_.size());
  for (int b = 0; b < B; ++b) t_[b] = int(rng_.below(uint64_t(T)));
  schedule_.add_noise(x_t_.data(), x0_.data(), noise_.data(), t_.data(), B);

  return train_on_batch(x_t_.data(), noise_.data(), t_.data(), B);
}

float Diffusion::train_on_batch(const float* x_t, const float* noise, const int* t, int B) {
  const float* out = mlp_.forward(params_.data(), x_t, t, B);
  float* d_out = mlp_.acts().d_out.data();
  const float loss = float(mse_loss(d_out, out, noise, B));

  double grad_sum_squares = 0;  // summed as backward writes the gradients
  mlp_.backward(grads_.data(), params_.data(), d_out, B, GradientMode::Overwrite, &grad_sum_squares);

  const double norm = std::sqrt(grad_sum_squares);
  last_grad_norm_ = norm;
  if (!std::isfinite(loss) || !std::isfinite(norm)) {
    diverged_ = true;
    return loss;
  }
  // torch.nn.utils.clip_grad_norm_: scale by max_norm / (norm + 1e-6) when
  // below 1. The scale is applied inside AdamW (the same float multiply), so
  // grads_ keeps the raw gradients.
  const double clip = config_.train.grad_clip / (norm + 1e-6);
  last_clip_scale_ = clip < 1.0 ? float(clip) : 1.0f;

  ++step_count_;
  const TrainConfig& tc = config_.train;
  simd::adamw_update(params_.data(), adam_m_.data(), adam_v_.data(), grads_.data(),
                     params_.size(), last_clip_scale_, learning_rate_at(tc, step_count_),
                     tc.adam_beta1, tc.adam_beta2, tc.adam_eps, tc.weight_decay, long(step_count_));
  if (!ema_.empty()) {
    // The usual warm-up (min(decay, (1 + n) / (10 + n))): early on the average
    // follows the weights closely instead of dragging the random init along.
    const double n = double(step_count_);
    const float decay = float(std::min(tc.ema_decay, (1.0 + n) / (10.0 + n)));
    simd::ema_update(ema_.data(), params_.data(), ema_.size(), decay);
  }
  return loss;
}

double Diffusion::train(int64_t steps) {
  double sum = 0;
  int64_t done = 0;
  for (; done < steps; ++done) {
    const float loss = step();
    if (diverged_) break;
    sum += loss;
  }
  return done ? sum / double(done) : std::nan("");
}

std::vector<float> Diffusion::sample(int n, uint64_t seed, std::vector<float>* frames,
                                     const SampleOptions& options) {
  check_count(n, "number of samples");
  const int T = num_timesteps();
  const bool subsequence = options.sampler != Sampler::Ddpm;  // DDIM or DPM-Solver: K of the T steps
  const bool second_order = options.sampler == Sampler::DpmSolver;
  if (!subsequence && options.steps != 0 && options.steps != T) {
    throw ConfigError("the DDPM sampler takes all " + std::to_string(T) +
                      " steps (got steps " + std::to_string(options.steps) + "); use ddim or dpm-solver for fewer");
  }
  if (subsequence && (options.steps < 0 || options.steps > T)) {
    throw ConfigError("steps must be an integer from 1 to " + std::to_string(T) + " (got " +
                      std::to_string(options.steps) + ")");
  }
  check_sample_options(options, NameStyle::Snake);
  const bool clipped = subsequence && options.clip_x0 > 0;
  const float bound = float(options.clip_x0);
  const auto clamp_all = [bound](std::vector<float>& v) {
    for (float& value : v) value = std::clamp(value, -bound, bound);
  };
  // Timesteps to visit, descending: DDPM every one, DDIM its subsequence.
  std::vector<int> timesteps(static_cast<size_t>(T));
  if (subsequence) timesteps = NoiseSchedule::ddim_timesteps(T, options.steps ? options.steps : T);
  else std::iota(timesteps.begin(), timesteps.end(), 0);
  std::reverse(timesteps.begin(), timesteps.end());
  const size_t K = timesteps.size(), N2 = 2 * size_t(n);

  Rng rng(seed);
  std::vector<float> x(N2), eps(N2), noise(N2);
  std::vector<float> x0, x0_before, extrapolated;  // DPM-Solver: this and the last step's data prediction
  if (second_order || clipped) {
    x0.resize(N2);
    extrapolated.resize(N2);
  }
  double lambda_before = 0;
  rng.fill_normal(x.data(), N2);
  if (frames) {
    frames->assign((K + 1) * N2, 0.0f);
    std::copy(x.begin(), x.end(), frames->begin());
  }
  for (size_t k = 0; k < K; ++k) {
    const int t = timesteps[k];
    predict_into(eps.data(), x.data(), n, t);
    if (second_order) {
      const int t_prev = k + 1 < K ? timesteps[k + 1] : -1;
      schedule_.reconstruct_x0(x0.data(), x.data(), eps.data(), t, n);
      if (clipped) clamp_all(x0);
      const double lambda = schedule_.half_log_snr(t);
      if (t_prev < 0) {
        x = x0;  // the last step lands on the data prediction (first order, as DPM-Solver's final step)
      } else {
        // D = (1 + 1/(2r)) x0 - 1/(2r) x0_before, r = h_before / h (Lu et al. 2022, 2M); first order at the start.
        const double h = schedule_.half_log_snr(t_prev) - lambda;
        const float* data_prediction = x0.data();
        if (!x0_before.empty()) {
          const double half_inv_r = 0.5 * h / (lambda - lambda_before);
          const float a = float(1.0 + half_inv_r), b = float(half_inv_r);
          for (size_t i = 0; i < N2; ++i) extrapolated[i] = a * x0[i] - b * x0_before[i];
          data_prediction = extrapolated.data();
        }
        const bool noisy = schedule_.ddim_sigma(t, t_prev, options.eta) > 0;
        if (noisy) rng.fill_normal(noise.data(), N2);
        schedule_.ddim_step_from_x0(x.data(), data_prediction, x.data(), noisy ? noise.data() : nullptr,
                                    t, t_prev, options.eta, n);
        x0_before = x0;
        lambda_before = lambda;
      }
    } else if (subsequence) {  // DDIM
      const int t_prev = k + 1 < K ? timesteps[k + 1] : -1;
      const bool noisy = schedule_.ddim_sigma(t, t_prev, options.eta) > 0;
      if (noisy) rng.fill_normal(noise.data(), N2);
      if (clipped) {  // the step from the clamped data prediction (its noise re-derived from it)
        schedule_.reconstruct_x0(x0.data(), x.data(), eps.data(), t, n);
        clamp_all(x0);
        schedule_.ddim_step_from_x0(x.data(), x0.data(), x.data(), noisy ? noise.data() : nullptr, t, t_prev,
                                    options.eta, n);
      } else {
        schedule_.ddim_step(x.data(), eps.data(), x.data(), noisy ? noise.data() : nullptr, t, t_prev,
                            options.eta, n);
      }
    } else {
      if (t > 0) rng.fill_normal(noise.data(), N2);
      schedule_.step(x.data(), eps.data(), x.data(), t > 0 ? noise.data() : nullptr, t, n);
    }
    if (frames) std::copy(x.begin(), x.end(), frames->begin() + (k + 1) * N2);
  }
  return x;
}

std::vector<float> Diffusion::forward_frames(int n, uint64_t seed) const {
  check_count(n, "number of points");
  if (data_.empty()) throw ConfigError("no training data: set a dataset first");
  const int T = num_timesteps();
  const size_t N2 = 2 * size_t(n);
  Rng rng(seed);
  std::vector<float> frames(size_t(T + 1) * N2), noise(N2);
  for (int i = 0; i < n; ++i) {
    const size_t idx = size_t(rng.below(num_points()));
    frames[2 * size_t(i)] = data_[2 * idx];
    frames[2 * size_t(i) + 1] = data_[2 * idx + 1];
  }
  for (int t = 0; t < T; ++t) {
    const float keep = std::sqrt(schedule_.alphas[t]), spread = std::sqrt(schedule_.betas[t]);
    rng.fill_normal(noise.data(), N2);
    const float* prev = frames.data() + size_t(t) * N2;
    float* next = frames.data() + size_t(t + 1) * N2;
    for (size_t i = 0; i < N2; ++i) next[i] = keep * prev[i] + spread * noise[i];
  }
  return frames;
}

std::vector<float> Diffusion::predict_noise(const float* xy, int n, int t) {
  check_count(n, "number of points");
  if (t < 0 || t >= num_timesteps()) {
    throw ConfigError("timestep must be an integer from 0 to " +
                      std::to_string(num_timesteps() - 1) + " (got " + std::to_string(t) + ")");
  }
  std::vector<float> eps(2 * size_t(n));
  predict_into(eps.data(), xy, n, t);
  return eps;
}

void Diffusion::predict_into(float* eps, const float* xy, int n, int t) {
  for (int start = 0; start < n; start += kSampleChunk) {
    const int rows = std::min(kSampleChunk, n - start);
    const float* out = mlp_.forward_shared_t(model_parameters().data(), xy + 2 * size_t(start), t, rows);
    std::copy_n(out, 2 * size_t(rows), eps + 2 * size_t(start));
  }
}

}  // namespace tinydiff
