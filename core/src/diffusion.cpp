// Diffusion, the facade: checks what callers ask for and hands it to the
// units in core/src/diffusion/ and to the samplers.
#include "tinydiff/diffusion.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "diffusion/conditioning.hpp"
#include "diffusion/diagnostics.hpp"
#include "diffusion/network_buffers.hpp"
#include "diffusion/training_data.hpp"
#include "diffusion/training_step.hpp"
#include "internal/samplers.hpp"
#include "tinydiff/flow_density.hpp"
#include "tinydiff/probability_flow_density.hpp"

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

void check_count(int n, const char* what) { check_integer_range(what, n, 1, Diffusion::kMaxSamples); }

}  // namespace

Diffusion::Diffusion(const DiffusionConfig& config)
    : net_(std::make_unique<NetworkBuffers>(validated(config).model)),
      data_(std::make_unique<TrainingData>()),
      config_(config),
      schedule_(config.schedule),
      rng_(config.train.seed ^ kTrainStream) {
  Rng init(config.train.seed ^ kInitStream);
  init_parameters(net_->params.data(), net_->mlp.layout(), init);
  restart_average();
  class_proportions_.assign(size_t(num_classes()), 1.0 / std::max(1, num_classes()));
}

Diffusion::~Diffusion() = default;
Diffusion::Diffusion(Diffusion&&) noexcept = default;
Diffusion& Diffusion::operator=(Diffusion&&) noexcept = default;

// ---- the network's parameters ----

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

// ---- data ----

const std::vector<float>& Diffusion::data() const { return data_->xy(); }
const std::vector<int>& Diffusion::labels() const { return data_->labels(); }
int64_t Diffusion::epoch() const { return data_->epoch(); }

void Diffusion::set_data(std::vector<float> xy, std::vector<int> labels) {
  const size_t count = xy.size() / 2, n = size_t(config_.train.train_size);
  // A subset only of a well-formed set: anything else gets TrainingData's message.
  if (n > 0 && n < count && xy.size() % 2 == 0 && (labels.empty() || labels.size() == count)) {
    SplitPoints split = split_training_set(PointSet{std::move(xy), std::move(labels)}, n, config_.train.seed);
    data_->set(std::move(split.train.xy), std::move(split.train.labels), num_classes());
    held_out_ = std::move(split.held_out);
  } else {
    data_->set(std::move(xy), std::move(labels), num_classes());
    held_out_ = PointSet{};
  }
  if (num_classes() > 0) set_class_proportions(data_->class_counts());
}

void Diffusion::set_pairs(std::vector<float> xy, std::vector<float> noise, std::vector<int> labels) {
  if (objective() != Objective::Flow || config_.schedule.coupling != Coupling::Independent) {
    throw ConfigError("a reflow's pairs train a flow model with independent coupling (objective flow, coupling independent)");
  }
  if (noise.size() != xy.size()) {
    throw ConfigError("a reflow needs one noise point per data point (got " + std::to_string(noise.size() / 2) + " for " +
                      std::to_string(xy.size() / 2) + ")");
  }
  data_->set(std::move(xy), std::move(labels), num_classes());
  data_->set_pair_noise(std::move(noise));
  held_out_ = PointSet{};
  if (num_classes() > 0) set_class_proportions(data_->class_counts());
}

bool Diffusion::has_pairs() const { return data_->has_pairs(); }

void Diffusion::set_points(PointSet points) {
  if (num_classes() == 0) points.labels.clear();
  set_data(std::move(points.xy), std::move(points.labels));
}

void Diffusion::set_class_proportions(std::vector<double> weights) {
  class_proportions_ = normalised_proportions(std::move(weights), num_classes());
}

int Diffusion::effective_batch_size() const {
  return int(std::min<size_t>(size_t(config_.train.batch_size), std::max<size_t>(num_points(), 1)));
}

int64_t steps_per_epoch_for(size_t num_points, int batch_size) {
  if (num_points == 0 || batch_size < 1) return 0;
  return int64_t(num_points / std::min(num_points, size_t(batch_size)));
}

int64_t Diffusion::steps_per_epoch() const { return steps_per_epoch_for(num_points(), config_.train.batch_size); }

void Diffusion::require_data() const {
  if (data_->empty()) throw ConfigError("no training data: set a dataset first");
}

// ---- training ----

float Diffusion::step() {
  require_data();
  if (diverged_) {
    throw std::runtime_error(
        "training has diverged (the loss became NaN or infinite); reset the model or lower the "
        "learning rate");
  }
  draw_batch(*net_, *data_, config_, schedule_, rng_, effective_batch_size());
  return update();
}

float Diffusion::train_on_batch(const float* x_t, const float* noise, const int* t, int B, const int* labels) {
  net_->batch = {x_t, t, nullptr, labels, noise, B};
  return update();
}

float Diffusion::train_on_flow_batch(const float* x_t, const float* velocity, const float* times, int B,
                                     const int* labels) {
  set_flow_batch(*net_, x_t, velocity, times, B, labels, num_timesteps());
  return update();
}

float Diffusion::update() {
  const StepLoss step = forward_backward(*net_, config_.model);
  last_grad_norm_ = step.grad_norm;
  if (!std::isfinite(step.loss) || !std::isfinite(step.grad_norm)) {  // keep the last good weights
    diverged_ = true;
    return step.loss;
  }
  last_clip_scale_ = clip_scale(step.grad_norm, config_.train.grad_clip);
  ++step_count_;
  update_parameters(*net_, config_.train, step_count_, last_clip_scale_);
  return step.loss;
}

void Diffusion::set_threads(int threads) {
  check_integer_range("threads", threads, 1, kMaxThreads);
  if (threads == this->threads()) return;
  net_->pool.reset();
  if (threads > 1) net_->pool = std::make_unique<WorkerPool>(threads);
  if (net_->pool && net_->pool->size() == 1) net_->pool.reset();  // no threads could start here
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

// ---- sampling ----

LabelledPredictor Diffusion::labelled_predictor(Denoiser kind) {
  if (kind == Denoiser::Ideal) {  // without data the ideal denoiser itself refuses (ideal_denoiser.cpp)
    return [this](float* out, const float* x, int rows, double t, const int* labels) {
      ideal_by_class(out, x, rows, labels, *data_, num_classes(), objective(), noise_level(schedule_, objective(), t));
    };
  }
  return [this](float* out, const float* x, int rows, double t, const int* labels) {
    predict_into(out, x, rows, t, labels);
  };
}

std::vector<int> Diffusion::sample_classes(const SampleOptions& options, int n, uint64_t seed) const {
  return draw_sample_classes(options, n, seed, class_proportions_, num_classes());
}

std::vector<float> Diffusion::sample(int n, uint64_t seed, std::vector<float>* frames,
                                     const SampleOptions& options, std::vector<int>* labels) {
  check_count(n, "number of samples");
  std::vector<int> classes = sample_classes(options, n, seed);
  if (labels) *labels = classes;
  const Predictor predict = guided_predictor(labelled_predictor(options.denoiser), std::move(classes), options.guidance);
  return run_sampler(schedule_, objective(), options, predict, n, seed, frames);
}

Diffusion::ReverseProcess Diffusion::reverse_process(int n, uint64_t seed, const SampleOptions& options) {
  check_count(n, "number of samples");
  ReverseProcess out;
  out.labels = sample_classes(options, n, seed);
  const Predictor predict = guided_predictor(labelled_predictor(options.denoiser), out.labels, options.guidance);
  run_sampler(schedule_, objective(), options, predict, n, seed, &out.frames, &out.predicted_x0);
  out.times = sampler_times(options, num_timesteps());
  if (objective() == Objective::Eps) out.timesteps.assign(out.times.begin(), out.times.end());
  return out;
}

void Diffusion::check_options(const SampleOptions& options) const {
  check_sampler_options(options, num_timesteps(), objective());
  check_class_options(options, num_classes());
}

int Diffusion::sampling_steps(const SampleOptions& options) const {
  check_options(options);
  return int(sampler_times(options, num_timesteps()).size());
}

// ---- predictions ----

void Diffusion::check_time(double t) const {
  if (objective() == Objective::Flow) {
    if (!(t >= 0 && t <= 1)) throw ConfigError("t must be a number from 0 to 1 for a flow model (got " + std::to_string(t) + ")");
  } else if (!(t >= 0 && t <= num_timesteps() - 1) || t != std::floor(t)) {
    throw ConfigError(not_in_integer_range("timestep", 0, num_timesteps() - 1, std::to_string(t)));
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
  check_class_options(check, num_classes());
  std::vector<float> out(2 * size_t(n));
  std::vector<int> rows = num_classes() > 0 ? std::vector<int>(labels, labels + n) : std::vector<int>{};
  guided_predictor(labelled_predictor(kind), std::move(rows), guidance)(out.data(), xy, n, t);
  return out;
}

std::vector<float> Diffusion::ideal_prediction(const float* xy, int n, double t) const {
  check_count(n, "number of points");
  check_time(t);
  std::vector<float> out(2 * size_t(n));
  ideal_by_class(out.data(), xy, n, nullptr, *data_, num_classes(), objective(), noise_level(schedule_, objective(), t));
  return out;
}

std::vector<float> Diffusion::predict_with(const float* xy, int n, double t, const SampleOptions& options) {
  check_class_options(options, num_classes());
  if (options.class_label != SampleOptions::kAllClasses) {
    const std::vector<int> labels(static_cast<size_t>(std::max(n, 0)), options.class_label);
    return predict_guided(xy, labels.data(), n, t, options.guidance, options.denoiser);
  }
  return options.denoiser == Denoiser::Ideal ? ideal_prediction(xy, n, t) : predict(xy, n, t);
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

// ---- exact log-density ----

void Diffusion::velocity_and_divergence(const float* xy, int n, double t, float* v, double* div) {
  check_count(n, "number of points");
  if (objective() != Objective::Flow || num_classes() > 0) {
    throw ConfigError("the velocity and its divergence are an unconditional flow model's (objective flow, no classes)");
  }
  if (!(t >= 0 && t <= 1)) throw ConfigError("a flow model's t must lie in [0, 1] (got " + std::to_string(t) + ")");
  output_and_divergence(xy, n, t * num_timesteps(), v, div);
}

void Diffusion::output_and_divergence(const float* xy, int n, double network_time, float* out, double* div) {
  std::vector<float> jac(4 * size_t(std::min(n, kSampleChunk)));
  for (int start = 0; start < n; start += kSampleChunk) {
    const int rows = std::min(kSampleChunk, n - start);
    const float* params = net_->model_parameters().data();
    const float* y = net_->mlp.forward_shared_time(params, xy + 2 * size_t(start), float(network_time), rows);
    std::copy_n(y, 2 * size_t(rows), out + 2 * size_t(start));
    net_->mlp.input_jacobian(params, rows, jac.data());
    for (int b = 0; b < rows; ++b) div[start + b] = double(jac[4 * size_t(b)]) + double(jac[4 * size_t(b) + 3]);
  }
}

std::vector<double> Diffusion::log_density(const float* xy, int n, int steps) {
  check_count(n, "number of points");
  if (num_classes() > 0) throw ConfigError("the exact log-density is an unconditional model's (this one has classes)");
  std::vector<float> point, output;
  // The network's output and divergence at doubles x, for either ODE.
  const auto network = [&](const double* x, int m, double network_time, double* out, double* div) {
    point.assign(x, x + 2 * size_t(m));
    output.resize(2 * size_t(m));
    output_and_divergence(point.data(), m, network_time, output.data(), div);
    std::copy(output.begin(), output.end(), out);
  };
  if (objective() == Objective::Flow) {
    const double T = num_timesteps();
    return log_density_along_flow(xy, n, [&](const double* x, int m, double t, double* v, double* div) {
      network(x, m, t * T, v, div);
    }, steps);
  }
  // Below the first timestep (less noise than any the network learnt) it is asked at t = 0.
  return log_density_along_probability_flow(xy, n, [&](const double* x, int m, double tau, double* eps, double* div) {
    network(x, m, std::max(tau, 0.0), eps, div);
  }, schedule_, steps);
}

// ---- diagnostics ----

std::vector<float> Diffusion::forward_frames(int n, uint64_t seed, std::vector<int>* labels) const {
  check_count(n, "number of points");
  require_data();
  return tinydiff::forward_frames(*data_, schedule_, objective(), n, seed, labels);
}

std::vector<float> Diffusion::marginal_log_density(const float* xy, int n, double t) const {
  check_count(n, "number of points");
  check_time(t);
  if (data_->empty()) throw ConfigError("no training data: the marginal q(x_t) needs the data points");
  std::vector<float> out(static_cast<size_t>(n));
  tinydiff::marginal_log_density(out.data(), xy, size_t(n), data().data(), num_points(),
                                 noise_level(schedule_, objective(), t));
  return out;
}

std::vector<double> Diffusion::loss_times() const { return tinydiff::loss_times(objective(), num_timesteps()); }

std::vector<float> Diffusion::loss_curve(const TrainingData& points, int points_per_t, uint64_t seed, Denoiser kind) {
  check_integer_range("points per timestep", points_per_t, 1, kMaxLossPoints / num_timesteps());
  return loss_by_time(points, schedule_, objective(), labelled_predictor(kind), points_per_t, seed);
}

std::vector<float> Diffusion::loss_by_timestep(int points_per_t, uint64_t seed, Denoiser kind) {
  require_data();
  return loss_curve(*data_, points_per_t, seed, kind);
}

std::vector<float> Diffusion::loss_by_timestep_on(std::vector<float> xy, std::vector<int> labels, int points_per_t,
                                                  uint64_t seed, Denoiser kind) {
  TrainingData other;
  other.set(std::move(xy), std::move(labels), config_.model.num_classes);
  return loss_curve(other, points_per_t, seed, kind);
}

}  // namespace tinydiff
