#include "tinydiff/diffusion.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <stdexcept>

#include "internal/aligned.hpp"
#include "internal/kernels.hpp"
#include "internal/mlp.hpp"
#include "internal/samplers.hpp"
#include "internal/worker_pool.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/ideal_denoiser.hpp"

namespace tinydiff {
namespace {

// The parameter stream is derived from the seed so that changing the data
// order (a different training stream) keeps the same initial network.
constexpr uint64_t kInitStream = 0x5eed0001;
constexpr uint64_t kTrainStream = 0x5eed0002;
// The classes of samples drawn "in the data's proportions" come from their
// own stream, so the noise of a seed is the same whatever the classes.
constexpr uint64_t kClassStream = 0x5eed0003;

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

// One flat buffer each for the weights, their gradients and the two AdamW
// moments (MlpLayout order), the moving average, and the step's scratch.
struct Diffusion::Network {
  explicit Network(const ModelConfig& config) : mlp(config) {
    const size_t P = mlp.num_params();
    params.assign(P, 0.0f);
    grads.assign(P, 0.0f);
    adam_m.assign(P, 0.0f);
    adam_v.assign(P, 0.0f);
  }
  const AlignedVector<float>& model_parameters() const { return ema.empty() ? params : ema; }

  // The batch a training step learns from: x_t [B, 2] at integer timesteps
  // t (eps) or real times (flow, already scaled by T), labels or null, and
  // what the network should output, target [B, 2].
  struct Batch {
    const float* x_t = nullptr;
    const int* t = nullptr;
    const float* times = nullptr;
    const int* labels = nullptr;
    const float* target = nullptr;
    int size = 0;
  };
  // The network's output [rows, 2] for rows first.. of the batch, through
  // `net` with parameters `p`.
  const float* forward_rows(Mlp<float>& net, const float* p, int first, int rows) const {
    const float* xy = batch.x_t + 2 * size_t(first);
    const int* labels = batch.labels ? batch.labels + first : nullptr;
    return batch.times ? net.forward_times(p, xy, batch.times + first, rows, labels)
                       : net.forward(p, xy, batch.t + first, rows, labels);
  }

  Mlp<float> mlp;
  AlignedVector<float> params, grads, adam_m, adam_v;
  AlignedVector<float> ema;  // moving average of params, empty when off
  // per-step scratch, sized once per batch size
  AlignedVector<float> x0, noise, x_t;
  std::vector<int> t, labels;
  AlignedVector<float> target, times, scaled_times;  // the flow objective's
  Batch batch;

  // Data-parallel training (set_threads): shard k of a batch runs through
  // shard_mlps[k - 1] (shard 0: mlp) into shard_grads[k]; thread k then sums
  // slice k of them into grads. Each slice of grads is written by one thread
  // only, so its cache lines stay in that core's cache from the sum to AdamW
  // and the next step (when shard 0 wrote into grads itself, thread 1's sum
  // pulled half of them over to its core each step: 2 threads at batch 256
  // ran 1.7% slower, medians of 8 alternating rounds).
  // Each shard also runs from a copy of the parameters, shard_params[k],
  // taken by its thread at the start of the step: half of them were just
  // written by the other thread's AdamW, and reading those from the other
  // core's cache a line at a time inside the products cost more than one
  // streaming copy (2 threads at batch 256: forward and backward 660 -> 610
  // us, +6% steps/s).
  std::unique_ptr<WorkerPool> pool;
  std::vector<std::unique_ptr<Mlp<float>>> shard_mlps;
  std::vector<AlignedVector<float>> shard_grads, shard_params;
  std::vector<double> shard_loss, slice_sum_squares;
};

Diffusion::Diffusion(const DiffusionConfig& config)
    : config_(validated(config)),
      schedule_(config.schedule),
      net_(std::make_unique<Network>(config.model)),
      rng_(config.train.seed ^ kTrainStream) {
  Rng init(config.train.seed ^ kInitStream);
  init_parameters(net_->params.data(), net_->mlp.layout(), init);
  restart_average();
  class_proportions_.assign(size_t(num_classes()), 1.0 / std::max(1, num_classes()));
}

Diffusion::~Diffusion() = default;
Diffusion::Diffusion(Diffusion&&) noexcept = default;
Diffusion& Diffusion::operator=(Diffusion&&) noexcept = default;

const MlpLayout& Diffusion::layout() const { return net_->mlp.layout(); }

Span<const float> Diffusion::parameters() const { return {net_->params.data(), net_->params.size()}; }

Span<const float> Diffusion::model_parameters() const {
  const AlignedVector<float>& p = net_->model_parameters();
  return {p.data(), p.size()};
}

Span<const float> Diffusion::gradients() const { return {net_->grads.data(), net_->grads.size()}; }

void Diffusion::set_parameters(const float* params, size_t size) {
  if (size != net_->params.size()) {
    throw ConfigError("the weights must be " + std::to_string(net_->params.size()) + " floats (got " +
                      std::to_string(size) + ")");
  }
  std::copy_n(params, size, net_->params.begin());
  restart_average();
}

void Diffusion::restart_average() {
  if (config_.train.ema_decay > 0) net_->ema = net_->params;
}

void Diffusion::set_data(std::vector<float> xy, std::vector<int> labels) {
  check_points(xy);
  const size_t n = xy.size() / 2;
  const int K = num_classes();
  if (K == 0 && !labels.empty()) {
    throw ConfigError("the points have labels but the model has no classes: set num_classes (up to " +
                      std::to_string(Limits::kMaxClasses) + ") to train a conditional model");
  }
  if (K > 0) {
    if (labels.size() != n) {
      throw ConfigError("a model of " + std::to_string(K) + " classes needs one label per point (got " +
                        std::to_string(labels.size()) + " labels for " + std::to_string(n) + " points)");
    }
    std::vector<std::vector<float>> class_data(static_cast<size_t>(K));
    for (size_t i = 0; i < n; ++i) {
      if (labels[i] < 0 || labels[i] >= K) {
        throw ConfigError("label " + std::to_string(labels[i]) + " of point " + std::to_string(i + 1) +
                          " is not a class of this model (0 to " + std::to_string(K - 1) + ")");
      }
      class_data[size_t(labels[i])].push_back(xy[2 * i]);
      class_data[size_t(labels[i])].push_back(xy[2 * i + 1]);
    }
    std::vector<double> counts(static_cast<size_t>(K));
    for (int k = 0; k < K; ++k) counts[size_t(k)] = double(class_data[size_t(k)].size() / 2);
    class_data_ = std::move(class_data);
    set_class_proportions(std::move(counts));
  }
  labels_ = std::move(labels);
  data_ = std::move(xy);
  order_.resize(num_points());
  std::iota(order_.begin(), order_.end(), 0u);
  cursor_ = order_.size();  // the next batch starts a fresh shuffle
}

void Diffusion::set_points(PointSet points) {
  if (num_classes() == 0) points.labels.clear();
  set_data(std::move(points.xy), std::move(points.labels));
}

void Diffusion::set_class_proportions(std::vector<double> weights) {
  if (weights.size() != size_t(num_classes())) {
    throw ConfigError("class proportions: the model has " + std::to_string(num_classes()) + " classes (got " +
                      std::to_string(weights.size()) + " values)");
  }
  double sum = 0;
  for (double w : weights) {
    if (!(w >= 0) || !std::isfinite(w)) throw ConfigError("class proportions must be finite and not negative");
    sum += w;
  }
  if (num_classes() > 0 && !(sum > 0)) throw ConfigError("class proportions must not all be zero");
  for (double& w : weights) w /= sum;
  class_proportions_ = std::move(weights);
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

void Diffusion::next_batch(float* x0, int* labels, int B) {
  if (cursor_ + size_t(B) > order_.size()) {  // a new epoch: reshuffle (Fisher-Yates)
    for (size_t i = order_.size() - 1; i > 0; --i) std::swap(order_[i], order_[rng_.below(i + 1)]);
    cursor_ = 0;
  }
  for (int b = 0; b < B; ++b) {
    const uint32_t idx = order_[cursor_++];
    x0[2 * b] = data_[2 * size_t(idx)];
    x0[2 * b + 1] = data_[2 * size_t(idx) + 1];
    if (num_classes() > 0) {
      // Classifier-free guidance: a share of the labels becomes "no class".
      const bool dropped = rng_.uniform(0.0, 1.0) < config_.train.class_dropout;
      labels[b] = dropped ? num_classes() : labels_[idx];
    }
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
  Network& net = *net_;
  net.x0.resize(2 * size_t(B));
  net.noise.resize(2 * size_t(B));
  net.x_t.resize(2 * size_t(B));
  net.t.resize(size_t(B));
  net.labels.resize(size_t(B));
  const int* labels = num_classes() > 0 ? net.labels.data() : nullptr;

  next_batch(net.x0.data(), net.labels.data(), B);
  rng_.fill_normal(net.noise.data(), net.noise.size());
  if (config_.schedule.objective == Objective::Flow) {
    // x_t = (1 - t) x0 + t eps, t ~ U[0, 1] (or u^2, FlowTime); the target is the velocity eps - x0.
    net.times.resize(size_t(B));
    net.target.resize(2 * size_t(B));
    const bool squared = config_.schedule.flow_time == FlowTime::Squared;
    for (int b = 0; b < B; ++b) {
      const double u = rng_.uniform(0.0, 1.0);
      const float t = float(squared ? u * u : u);
      net.times[size_t(b)] = t;
      for (int c = 0; c < 2; ++c) {
        const size_t i = 2 * size_t(b) + size_t(c);
        net.x_t[i] = (1 - t) * net.x0[i] + t * net.noise[i];
        net.target[i] = net.noise[i] - net.x0[i];
      }
    }
    return train_on_flow_batch(net.x_t.data(), net.target.data(), net.times.data(), B, labels);
  }
  for (int b = 0; b < B; ++b) net.t[b] = int(rng_.below(uint64_t(T)));
  schedule_.add_noise(net.x_t.data(), net.x0.data(), net.noise.data(), net.t.data(), B);

  return train_on_batch(net.x_t.data(), net.noise.data(), net.t.data(), B, labels);
}

float Diffusion::train_on_batch(const float* x_t, const float* noise, const int* t, int B, const int* labels) {
  net_->batch = {x_t, t, nullptr, labels, noise, B};
  return update();
}

float Diffusion::train_on_flow_batch(const float* x_t, const float* velocity, const float* times, int B,
                                     const int* labels) {
  Network& net = *net_;
  net.scaled_times.resize(size_t(B));
  for (int b = 0; b < B; ++b) net.scaled_times[size_t(b)] = times[b] * float(num_timesteps());
  net.batch = {x_t, nullptr, net.scaled_times.data(), labels, velocity, B};
  return update();
}

namespace {

// Shards of a batch of B rows on `threads` threads: at least 16 rows each
// (one SIMD-padded block), so that small batches stay on one thread.
int shard_count(int B, int threads) { return std::max(1, std::min(threads, B / 16)); }

// [begin, end) of part k of n of a range of `size`, cut at multiples of 16.
std::pair<size_t, size_t> part(size_t size, int k, int n) {
  const auto edge = [&](int i) { return std::min(size, (size * size_t(i) / size_t(n) + 15) / 16 * 16); };
  return {edge(k), edge(k + 1)};
}

}  // namespace

float Diffusion::update() {
  Network& net = *net_;
  const Network::Batch& batch = net.batch;
  const int B = batch.size;
  const int shards = shard_count(B, net.pool ? net.pool->size() : 1);

  float loss = 0;
  double grad_sum_squares = 0;
  if (shards == 1) {  // forward, loss, backward on this thread (the gradients' squares summed as written)
    const float* out = net.forward_rows(net.mlp, net.params.data(), 0, B);
    float* d_out = net.mlp.acts().d_out.data();
    loss = float(mse_loss(d_out, out, batch.target, B));
    net.mlp.backward(net.grads.data(), net.params.data(), d_out, B, GradientMode::Overwrite, &grad_sum_squares);
  } else {
    // Each shard's rows through its own network copy, into its own
    // gradients; then each thread sums a slice of the gradients over the
    // shards, weighted by their rows, in shard order (deterministic for a
    // given thread count).
    while (net.shard_mlps.size() < size_t(shards - 1)) net.shard_mlps.push_back(std::make_unique<Mlp<float>>(config_.model));
    while (net.shard_grads.size() < size_t(shards)) net.shard_grads.emplace_back(net.grads.size());
    while (net.shard_params.size() < size_t(shards)) net.shard_params.emplace_back(net.params.size());
    net.shard_loss.assign(size_t(shards), 0.0);
    net.slice_sum_squares.assign(size_t(shards), 0.0);
    const auto rows_of = [&](int k) { return std::pair<int, int>(B * k / shards, B * (k + 1) / shards); };
    net.pool->run([&](int k) {
      if (k >= shards) return;
      const auto [first, last] = rows_of(k);
      Mlp<float>& mlp = k == 0 ? net.mlp : *net.shard_mlps[size_t(k - 1)];
      float* grads = net.shard_grads[size_t(k)].data();
      float* params = net.shard_params[size_t(k)].data();
      std::copy(net.params.begin(), net.params.end(), params);
      const float* out = net.forward_rows(mlp, params, first, last - first);
      float* d_out = mlp.acts().d_out.data();
      net.shard_loss[size_t(k)] = mse_loss(d_out, out, batch.target + 2 * size_t(first), last - first);
      mlp.backward(grads, params, d_out, last - first, GradientMode::Overwrite);
    });
    net.pool->run([&](int k) {
      if (k >= shards) return;
      const auto [begin, end] = part(net.grads.size(), k, shards);
      float* g = net.grads.data() + begin;
      const size_t len = end - begin;
      const float w0 = float(rows_of(0).second) / float(B);
      const float* g0 = net.shard_grads[0].data() + begin;
      for (size_t i = 0; i < len; ++i) g[i] = w0 * g0[i];
      for (int s = 1; s < shards; ++s) {
        const auto [first, last] = rows_of(s);
        const float w = float(last - first) / float(B);
        const float* gs = net.shard_grads[size_t(s)].data() + begin;
        for (size_t i = 0; i < len; ++i) g[i] += w * gs[i];
      }
      const double sum = simd::sum_squares(g, len);
      net.slice_sum_squares[size_t(k)] = sum;
    });
    double total_loss = 0;
    for (int k = 0; k < shards; ++k) {
      const auto [first, last] = rows_of(k);
      total_loss += net.shard_loss[size_t(k)] * double(last - first) / double(B);
      grad_sum_squares += net.slice_sum_squares[size_t(k)];
    }
    loss = float(total_loss);
  }

  const double norm = std::sqrt(grad_sum_squares);
  last_grad_norm_ = norm;
  if (!std::isfinite(loss) || !std::isfinite(norm)) {
    diverged_ = true;
    return loss;
  }
  // torch.nn.utils.clip_grad_norm_: scale by max_norm / (norm + 1e-6) when
  // below 1. The scale is applied inside AdamW (the same float multiply), so
  // the gradients buffer keeps the raw gradients.
  const double clip = config_.train.grad_clip / (norm + 1e-6);
  last_clip_scale_ = clip < 1.0 ? float(clip) : 1.0f;

  ++step_count_;
  const TrainConfig& tc = config_.train;
  const double lr = learning_rate_at(tc, step_count_);
  // The usual warm-up of the average (min(decay, (1 + n) / (10 + n))): early
  // on it follows the weights closely instead of dragging the random init along.
  const double n = double(step_count_);
  const float ema_decay = float(std::min(tc.ema_decay, (1.0 + n) / (10.0 + n)));
  const auto optimize = [&](size_t begin, size_t end) {  // AdamW and the average, elementwise
    simd::adamw_update(net.params.data() + begin, net.adam_m.data() + begin, net.adam_v.data() + begin,
                       net.grads.data() + begin, end - begin, last_clip_scale_, lr, tc.adam_beta1, tc.adam_beta2,
                       tc.adam_eps, tc.weight_decay, long(step_count_));
    if (!net.ema.empty()) simd::ema_update(net.ema.data() + begin, net.params.data() + begin, end - begin, ema_decay);
  };
  if (shards == 1) {
    optimize(0, net.params.size());
  } else {
    net.pool->run([&](int k) {
      if (k >= shards) return;
      const auto [begin, end] = part(net.params.size(), k, shards);
      optimize(begin, end);
    });
  }
  return loss;
}

void Diffusion::set_threads(int threads) {
  if (threads < 1 || threads > kMaxThreads) {
    throw ConfigError("threads must be an integer from 1 to " + std::to_string(kMaxThreads) + " (got " +
                      std::to_string(threads) + ")");
  }
  Network& net = *net_;
  if (threads == this->threads()) return;
  net.pool.reset();
  if (threads > 1) net.pool = std::make_unique<WorkerPool>(threads);
  if (net.pool && net.pool->size() == 1) net.pool.reset();  // no threads could start here
}

int Diffusion::threads() const { return net_->pool ? net_->pool->size() : 1; }

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

NoiseLevel Diffusion::noise_level(double t) const {
  if (objective() == Objective::Flow) return {1.0 - t, t};
  const double abar = schedule_.alphas_cumprod[size_t(t)];
  return {std::sqrt(abar), std::sqrt(1.0 - abar)};
}

Predictor Diffusion::denoiser(Denoiser kind, std::vector<int> labels, double guidance) {
  auto raw = [this, kind](float* out, const float* x, int rows, double t, const int* row_labels) {
    prediction_into(kind, out, x, rows, t, row_labels);
  };
  if (labels.empty() || guidance == 0.0) {  // unconditional
    return [raw](float* out, const float* x, int rows, double t) { raw(out, x, rows, t, nullptr); };
  }
  if (guidance == 1.0) {  // conditional
    return [raw, labels](float* out, const float* x, int rows, double t) { raw(out, x, rows, t, labels.data()); };
  }
  // Classifier-free guidance: uncond + w (cond - uncond).
  auto uncond = std::make_shared<std::vector<float>>();
  return [raw, labels, guidance, uncond](float* out, const float* x, int rows, double t) {
    uncond->resize(2 * size_t(rows));
    raw(uncond->data(), x, rows, t, nullptr);
    raw(out, x, rows, t, labels.data());
    const float w = float(guidance);
    for (size_t i = 0; i < 2 * size_t(rows); ++i) out[i] = (*uncond)[i] + w * (out[i] - (*uncond)[i]);
  };
}

void Diffusion::prediction_into(Denoiser kind, float* out, const float* xy, int n, double t, const int* labels) {
  // Without data the ideal denoiser itself refuses (ideal_denoiser.cpp).
  if (kind == Denoiser::Ideal) ideal_into(out, xy, n, t, labels);
  else predict_into(out, xy, n, t, labels);
}

void Diffusion::ideal_into(float* out, const float* xy, int n, double t, const int* labels) const {
  auto ideal = [this, t](float* dst, const float* x, size_t rows, const std::vector<float>& points) {
    if (objective() == Objective::Flow) tinydiff::ideal_velocity(dst, x, rows, points.data(), points.size() / 2, noise_level(t));
    else tinydiff::ideal_noise(dst, x, rows, points.data(), points.size() / 2, noise_level(t));
  };
  if (!labels) {
    ideal(out, xy, size_t(n), data_);
    return;
  }
  // Row by row class: the ideal denoiser of that class's points, gathered and scattered back.
  std::vector<float> x, y;
  for (int k = 0; k <= num_classes(); ++k) {
    x.clear();
    for (int i = 0; i < n; ++i) {
      if (labels[i] != k) continue;
      x.push_back(xy[2 * size_t(i)]);
      x.push_back(xy[2 * size_t(i) + 1]);
    }
    if (x.empty()) continue;
    y.resize(x.size());
    const bool no_class = k == num_classes() || data_.empty();
    if (!no_class && class_data_[size_t(k)].empty()) {
      throw ConfigError("class " + std::to_string(k) + " has no training points: the ideal denoiser cannot draw it");
    }
    ideal(y.data(), x.data(), x.size() / 2, no_class ? data_ : class_data_[size_t(k)]);
    size_t j = 0;
    for (int i = 0; i < n; ++i) {
      if (labels[i] != k) continue;
      out[2 * size_t(i)] = y[j++];
      out[2 * size_t(i) + 1] = y[j++];
    }
  }
}

void Diffusion::check_class_options(const SampleOptions& options) const {
  const int K = num_classes();
  if (K == 0 && options.class_label != SampleOptions::kAllClasses) {
    throw ConfigError("this model has no classes: it cannot draw class " + std::to_string(options.class_label));
  }
  if (K > 0 && (options.class_label < SampleOptions::kAllClasses || options.class_label >= K)) {
    throw ConfigError("class must be from 0 to " + std::to_string(K - 1) + ", or all (got " +
                      std::to_string(options.class_label) + ")");
  }
  if (!(options.guidance >= 0 && options.guidance <= Limits::kMaxGuidance)) {
    throw ConfigError("guidance must be a number from 0 to " + std::to_string(int(Limits::kMaxGuidance)) + " (got " +
                      std::to_string(options.guidance) + ")");
  }
}

std::vector<int> Diffusion::sample_classes(const SampleOptions& options, int n, uint64_t seed) const {
  check_class_options(options);
  if (num_classes() == 0) return {};
  if (options.class_label != SampleOptions::kAllClasses) return std::vector<int>(size_t(n), options.class_label);
  // Each sample's class drawn in the data's proportions.
  Rng rng(seed ^ kClassStream);
  std::vector<int> labels(static_cast<size_t>(n));
  for (int& label : labels) {
    double u = rng.uniform(0.0, 1.0);
    label = num_classes() - 1;
    for (int k = 0; k < num_classes(); ++k) {
      if (u < class_proportions_[size_t(k)]) {
        label = k;
        break;
      }
      u -= class_proportions_[size_t(k)];
    }
  }
  return labels;
}

std::vector<float> Diffusion::sample(int n, uint64_t seed, std::vector<float>* frames,
                                     const SampleOptions& options, std::vector<int>* labels) {
  check_count(n, "number of samples");
  std::vector<int> classes = sample_classes(options, n, seed);
  if (labels) *labels = classes;
  const Predictor predict = denoiser(options.denoiser, std::move(classes), options.guidance);
  return run_sampler(schedule_, objective(), options, predict, n, seed, frames);
}

Diffusion::ReverseProcess Diffusion::reverse_process(int n, uint64_t seed, const SampleOptions& options) {
  check_count(n, "number of samples");
  ReverseProcess out;
  out.labels = sample_classes(options, n, seed);
  const Predictor predict = denoiser(options.denoiser, out.labels, options.guidance);
  run_sampler(schedule_, objective(), options, predict, n, seed, &out.frames, &out.predicted_x0);
  out.times = sampler_times(options, num_timesteps());
  if (objective() == Objective::Eps) out.timesteps.assign(out.times.begin(), out.times.end());
  return out;
}

int Diffusion::sampling_steps(const SampleOptions& options) const {
  check_sampler_options(options, num_timesteps(), objective());
  check_class_options(options);
  return int(sampler_times(options, num_timesteps()).size());
}

std::vector<float> Diffusion::forward_frames(int n, uint64_t seed, std::vector<int>* labels) const {
  check_count(n, "number of points");
  if (data_.empty()) throw ConfigError("no training data: set a dataset first");
  const int T = num_timesteps();
  const size_t N2 = 2 * size_t(n);
  Rng rng(seed);
  std::vector<float> frames(size_t(T + 1) * N2), noise(N2);
  if (labels) labels->clear();
  for (int i = 0; i < n; ++i) {
    const size_t idx = size_t(rng.below(num_points()));
    frames[2 * size_t(i)] = data_[2 * idx];
    frames[2 * size_t(i) + 1] = data_[2 * idx + 1];
    if (labels && !labels_.empty()) labels->push_back(labels_[idx]);
  }
  if (objective() == Objective::Flow) {  // the straight path to one noise draw per point, at t = k / T
    rng.fill_normal(noise.data(), N2);
    for (int k = 1; k <= T; ++k) {
      const float t = float(k) / float(T);
      float* frame = frames.data() + size_t(k) * N2;
      for (size_t i = 0; i < N2; ++i) frame[i] = (1 - t) * frames[i] + t * noise[i];
    }
    return frames;
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

void Diffusion::check_time(double t) const {
  if (objective() == Objective::Flow) {
    if (!(t >= 0 && t <= 1)) throw ConfigError("t must be a number from 0 to 1 for a flow model (got " + std::to_string(t) + ")");
  } else if (!(t >= 0 && t <= num_timesteps() - 1) || t != std::floor(t)) {
    throw ConfigError("timestep must be an integer from 0 to " + std::to_string(num_timesteps() - 1) + " (got " +
                      std::to_string(t) + ")");
  }
}

std::vector<float> Diffusion::predict(const float* xy, int n, double t) {
  check_count(n, "number of points");
  check_time(t);
  std::vector<float> out(2 * size_t(n));
  predict_into(out.data(), xy, n, t);
  return out;
}

std::vector<float> Diffusion::predict_guided(const float* xy, const int* labels, int n, double t, double guidance,
                                             Denoiser kind) {
  check_count(n, "number of points");
  check_time(t);
  for (int i = 0; i < n; ++i) {
    if (labels[i] < 0 || labels[i] > num_classes()) {
      throw ConfigError("label " + std::to_string(labels[i]) + " is not a class of this model (0 to " +
                        std::to_string(num_classes()) + ", " + std::to_string(num_classes()) + " for no class)");
    }
  }
  SampleOptions check;
  check.guidance = guidance;
  check_class_options(check);
  std::vector<float> out(2 * size_t(n));
  denoiser(kind, num_classes() > 0 ? std::vector<int>(labels, labels + n) : std::vector<int>{}, guidance)(
      out.data(), xy, n, t);
  return out;
}

std::vector<float> Diffusion::ideal_prediction(const float* xy, int n, double t) const {
  check_count(n, "number of points");
  check_time(t);
  std::vector<float> out(2 * size_t(n));
  ideal_into(out.data(), xy, n, t);
  return out;
}

std::vector<float> Diffusion::marginal_log_density(const float* xy, int n, double t) const {
  check_count(n, "number of points");
  check_time(t);
  if (data_.empty()) throw ConfigError("no training data: the marginal q(x_t) needs the data points");
  std::vector<float> out(static_cast<size_t>(n));
  tinydiff::marginal_log_density(out.data(), xy, size_t(n), data_.data(), num_points(), noise_level(t));
  return out;
}

std::vector<double> Diffusion::loss_times() const {
  const int T = num_timesteps();
  std::vector<double> times(static_cast<size_t>(T));
  for (int i = 0; i < T; ++i) times[size_t(i)] = objective() == Objective::Flow ? (i + 0.5) / T : double(i);
  return times;
}

std::vector<float> Diffusion::loss_by_timestep(int points_per_t, uint64_t seed, Denoiser kind) {
  if (data_.empty()) throw ConfigError("no training data: set a dataset first");
  const int T = num_timesteps();
  if (points_per_t < 1 || int64_t(points_per_t) * T > kMaxLossPoints) {
    throw ConfigError("points per timestep must be an integer from 1 to " + std::to_string(kMaxLossPoints / T) +
                      " (got " + std::to_string(points_per_t) + ")");
  }
  const size_t N2 = 2 * size_t(points_per_t);
  std::vector<float> x0(N2), noise(N2), x_t(N2), target(N2), out(N2), losses(static_cast<size_t>(T));
  std::vector<int> labels(num_classes() > 0 ? size_t(points_per_t) : 0);
  Rng rng(seed);
  const std::vector<double> times = loss_times();
  for (int i = 0; i < T; ++i) {
    // The draws depend on the seed and t only, so every denoiser sees the same points.
    for (int p = 0; p < points_per_t; ++p) {
      const size_t idx = size_t(rng.below(num_points()));
      x0[2 * size_t(p)] = data_[2 * idx];
      x0[2 * size_t(p) + 1] = data_[2 * idx + 1];
      if (!labels.empty()) labels[size_t(p)] = labels_[idx];
    }
    rng.fill_normal(noise.data(), N2);
    const NoiseLevel level = noise_level(times[size_t(i)]);
    const bool flow = objective() == Objective::Flow;
    for (size_t j = 0; j < N2; ++j) {
      x_t[j] = float(level.keep * x0[j] + level.spread * noise[j]);
      target[j] = flow ? noise[j] - x0[j] : noise[j];  // what the objective predicts
    }
    prediction_into(kind, out.data(), x_t.data(), points_per_t, times[size_t(i)], labels.empty() ? nullptr : labels.data());
    double sum = 0;
    for (size_t j = 0; j < N2; ++j) sum += (double(out[j]) - target[j]) * (double(out[j]) - target[j]);
    losses[size_t(i)] = float(sum / double(N2));
  }
  return losses;
}

std::vector<float> Diffusion::predict_noise(const float* xy, int n, int t) {
  if (objective() == Objective::Flow) throw ConfigError("a flow model predicts velocities, not noise: use predict()");
  return predict(xy, n, double(t));
}

void Diffusion::predict_into(float* out, const float* xy, int n, double t, const int* labels) {
  const bool flow = objective() == Objective::Flow;
  for (int start = 0; start < n; start += kSampleChunk) {
    const int rows = std::min(kSampleChunk, n - start);
    const float* params = net_->model_parameters().data();
    const float* x = xy + 2 * size_t(start);
    const int* l = labels ? labels + start : nullptr;
    const float* y = flow ? net_->mlp.forward_shared_time(params, x, float(t * num_timesteps()), rows, l)
                          : net_->mlp.forward_shared_t(params, x, int(t), rows, l);
    std::copy_n(y, 2 * size_t(rows), out + 2 * size_t(start));
  }
}

}  // namespace tinydiff
