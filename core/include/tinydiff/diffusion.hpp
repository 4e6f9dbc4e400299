// A diffusion model being trained: configuration, schedule, network, the
// training data and the one training RNG. This is the object the CLI and the
// wasm bindings drive: a facade over the units in core/src/diffusion/ (the
// data loader, the network's buffers, the training step's stages,
// conditioning and guidance, diagnostics) and the samplers
// (core/src/samplers.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tinydiff/config.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/ideal_denoiser.hpp"
#include "tinydiff/mlp_layout.hpp"
#include "tinydiff/rng.hpp"
#include "tinydiff/schedule.hpp"
#include "tinydiff/span.hpp"

namespace tinydiff {

struct NetworkBuffers;  // core/src/diffusion/network_buffers.hpp
class TrainingData;     // core/src/diffusion/training_data.hpp
// out [rows, 2] = a denoiser's prediction at x [rows, 2], time t, for rows
// of these labels (0..K-1, K for no class; null: no class).
using LabelledPredictor = std::function<void(float* out, const float* x, int rows, double t, const int* labels)>;

// Optimizer steps in one epoch over `num_points` (drop_last, as the
// reference's DataLoader; a batch larger than the data takes all of it).
// What Diffusion::steps_per_epoch() reports once the data is set, for
// planning a run (a learning-rate decay) before any model exists.
int64_t steps_per_epoch_for(size_t num_points, int batch_size);

class Diffusion {
 public:
  // Validates the configuration (throws ConfigError) and initialises the
  // parameters from config.train.seed.
  explicit Diffusion(const DiffusionConfig& config);
  ~Diffusion();
  Diffusion(Diffusion&&) noexcept;
  Diffusion& operator=(Diffusion&&) noexcept;

  const DiffusionConfig& config() const { return config_; }
  const NoiseSchedule& schedule() const { return schedule_; }
  const MlpLayout& layout() const;
  int num_timesteps() const { return schedule_.num_timesteps(); }
  Objective objective() const { return config_.schedule.objective; }

  // ---- data ----
  // Interleaved x, y points (copied), and for a conditional model
  // (num_classes K > 0) one label 0..K-1 per point. Throws ConfigError for
  // an empty, odd or non-finite set, labels missing, out of range or of the
  // wrong count, or labels for a model without classes. Restarts the epoch,
  // keeps the model, and sets class_proportions() to the labels' shares.
  // With config.train.train_size n (0 < n < the points), the model trains
  // on a seeded n of them (split_training_set) and holds out the rest.
  void set_data(std::vector<float> xy, std::vector<int> labels = {});
  // A preset's or a file's points: their labels go to a conditional model,
  // and an unconditional one takes the coordinates alone (so any point set
  // can be compared with or noised); otherwise as set_data.
  void set_points(PointSet points);
  // Reflow (rectified flow, Liu, Gong and Liu, ICLR 2023): train on fixed
  // pairs, each point with its own noise (another flow model's ODE took
  // that noise to that point; make_reflow_pairs), instead of fresh noise
  // each step. The flow objective with independent coupling; all the points
  // train (train_size does not apply). Throws ConfigError otherwise, or
  // for counts that disagree.
  void set_pairs(std::vector<float> xy, std::vector<float> noise, std::vector<int> labels = {});
  bool has_pairs() const;
  const std::vector<float>& data() const;
  const std::vector<int>& labels() const;
  // The given points the model does not train on (train_size), with their
  // labels: empty when it trains on all of them.
  const PointSet& held_out() const { return held_out_; }
  int num_classes() const { return config_.model.num_classes; }
  // Each class's share of the training points (K values summing to 1; equal
  // shares until data is set): what sampling "all classes" draws from, and
  // what model files keep. set_class_proportions() takes non-negative
  // weights (normalised) and throws ConfigError for K wrong or a zero sum.
  const std::vector<double>& class_proportions() const { return class_proportions_; }
  void set_class_proportions(std::vector<double> weights);
  size_t num_points() const { return data().size() / 2; }
  // Rows per step: the configured batch size, or every point if there are fewer.
  int effective_batch_size() const;
  // Steps in one epoch (drop_last, as the reference's DataLoader).
  int64_t steps_per_epoch() const;

  // ---- training ----
  // One AdamW step on the next shuffled batch; returns its loss. If the loss
  // or the gradient is NaN or inf the update is skipped (the parameters stay
  // the last good ones), diverged() turns true, and later steps throw.
  float step();
  // The optimizer step itself, on an explicit noisy batch: forward, MSE
  // against `noise`, backward, clip, AdamW. step() draws a batch and calls it.
  // labels: class table rows 0..K (K: no class), or null (no class).
  float train_on_batch(const float* x_t, const float* noise, const int* t, int B, const int* labels = nullptr);
  // The same for the flow objective: MSE against `velocity` at times in [0, 1].
  float train_on_flow_batch(const float* x_t, const float* velocity, const float* times, int B,
                            const int* labels = nullptr);
  // Total gradient norm before clipping, of the last step.
  double last_grad_norm() const { return last_grad_norm_; }
  // The factor clipping applied to the last step's gradients (1 when their
  // norm was within grad_clip).
  float last_clip_scale() const { return last_clip_scale_; }
  // `steps` steps; returns their mean loss.
  double train(int64_t steps);
  // Threads a training step may use (1..kMaxThreads; 1, the default, runs
  // on the calling thread). A batch is split into shards of at least 16 rows,
  // one a thread; their gradients are summed in a fixed order, so results
  // are deterministic for a given thread count (and differ from another
  // count's in the last bits). Where threads cannot start (a wasm build
  // without them) training runs on fewer: threads() tells.
  void set_threads(int threads);
  int threads() const;
  static constexpr int kMaxThreads = 64;
  int64_t step_count() const { return step_count_; }
  int64_t epoch() const;  // completed epochs
  bool diverged() const { return diverged_; }

  // ---- sampling ----
  // n points from N(0, I) denoised with the noise stream of `seed` by
  // options.sampler (core/src/samplers.cpp): DDPM over all T steps (the
  // default), DDIM or DPM-Solver++ over options.steps. With `frames`, also
  // every state: (steps+1) x n x 2, frame 0 the initial noise (the same for
  // every sampler and any options), the last the returned samples.
  // Throws ConfigError for options out of range.
  // options.denoiser picks what predicts the noise: the network, or the
  // ideal denoiser of the training data (ideal_denoiser.hpp; needs data).
  // A conditional model draws options.class_label (or each sample's class
  // in the data's proportions) under options.guidance; `labels` (if not
  // null) receives each sample's class.
  std::vector<float> sample(int n, uint64_t seed, std::vector<float>* frames = nullptr,
                            const SampleOptions& options = {}, std::vector<int>* labels = nullptr);
  // The class of each of the n samples sample(n, seed, ..., options) draws
  // (empty for an unconditional model). Throws for a class or guidance the
  // model cannot take.
  std::vector<int> sample_classes(const SampleOptions& options, int n, uint64_t seed) const;
  // The reverse process step by step, as sample() runs it, with what each
  // step predicted: frames (K+1) x n x 2 (frame 0 the noise), predicted_x0
  // K x n x 2 (the data prediction x0_hat made from frame k at timesteps[k]),
  // times the K times visited (eps: integer timesteps, descending, also in
  // `timesteps`; flow: t from 1 down).
  struct ReverseProcess {
    std::vector<float> frames, predicted_x0;
    std::vector<double> times;
    std::vector<int> timesteps;  // eps only
    std::vector<int> labels;     // each sample's class (conditional models)
  };
  ReverseProcess reverse_process(int n, uint64_t seed, const SampleOptions& options = {});
  // The one check of sampling options against this model: throws
  // ConfigError for options out of range, a sampler of the other objective,
  // more steps than T, or a class or guidance the model cannot take.
  void check_options(const SampleOptions& options) const;
  // The steps options.sampler takes on this model: T for DDPM, options.steps
  // (or T) for the others (Heun calls the network twice a step). Throws as
  // sample() does.
  int sampling_steps(const SampleOptions& options) const;
  // The forward (noising) Markov chain from n data points drawn with
  // replacement: (T+1) x n x 2, frame 0 the data, frame t+1 = q(x_{t+1} | x_t).
  // `labels` (if not null): the class of each of the n points (conditional models).
  std::vector<float> forward_frames(int n, uint64_t seed, std::vector<int>* labels = nullptr) const;
  // What the network predicts for n points at time t, n x 2: the noise at
  // the integer timestep t (eps), or the velocity at t in [0, 1] (flow).
  // A conditional model predicts unconditionally (no class).
  std::vector<float> predict(const float* xy, int n, double t);
  // The same for n points with labels (0..K-1, or K for no class) under
  // guidance w: uncond + w (cond - uncond); w = 0 and 1 are computed alone.
  std::vector<float> predict_guided(const float* xy, const int* labels, int n, double t, double guidance,
                                    Denoiser denoiser = Denoiser::Network);
  // The same for the ideal denoiser of the training data (E[eps | x_t], or
  // E[eps - x0 | x_t] for flow). Throws ConfigError without data.
  std::vector<float> ideal_prediction(const float* xy, int n, double t) const;
  // The one entry point for a prediction with options: what options.denoiser
  // predicts at xy for options.class_label (kAllClasses: unconditional)
  // under options.guidance. Throws ConfigError for a class or guidance this
  // model cannot take, and as predict() does.
  std::vector<float> predict_with(const float* xy, int n, double t, const SampleOptions& options);
  // predict() of an eps model at timestep t (a flow model throws).
  std::vector<float> predict_noise(const float* xy, int n, int t);
  // log q(x_t) at n points: the exact forward marginal of the training data at t.
  std::vector<float> marginal_log_density(const float* xy, int n, double t) const;
  // The mean squared error of the prediction at each of T times (eps: every
  // timestep; flow: t = (i + 1/2) / T, loss_times()) over the same noised
  // training points for any denoiser: points_per_t points drawn with
  // replacement from the data, noised with the stream of `seed`. The ideal
  // denoiser's curve is the loss's floor (the part no network can remove).
  // A conditional model is asked with each point's label (conditional loss).
  std::vector<float> loss_by_timestep(int points_per_t, uint64_t seed, Denoiser denoiser = Denoiser::Network);
  // The same on other points (fresh points of the data's distribution, say),
  // drawn and noised with the same stream: with the training data's curve,
  // the train / test loss gap. Labels as set_data takes them.
  std::vector<float> loss_by_timestep_on(std::vector<float> xy, std::vector<int> labels, int points_per_t,
                                         uint64_t seed, Denoiser denoiser = Denoiser::Network);
  std::vector<double> loss_times() const;
  static constexpr int kMaxLossPoints = 10'000'000;  // T x points_per_t

  // ---- exact log-density ----
  // The network's velocity v [n, 2] at n points and time t in [0, 1], and
  // its exact divergence div [n] there (the trace of the 2 x 2 Jacobian of
  // the velocity with respect to the point, by forward mode through the
  // network), with the weights that sample. An unconditional flow model;
  // throws ConfigError otherwise.
  void velocity_and_divergence(const float* xy, int n, double t, float* v, double* div);
  // log p(x) of an unconditional model at n points (nats), by the
  // instantaneous change of variables over `steps` RK4 steps: along a flow
  // model's flow (flow_density.hpp), or along a noise-prediction model's
  // probability-flow ODE (probability_flow_density.hpp). Throws ConfigError
  // for a model with classes.
  std::vector<double> log_density(const float* xy, int n, int steps = 100);

  // ---- parameters ----
  // The weights being trained, in MlpLayout order.
  Span<const float> parameters() const;
  // The weights that sample, predict and are saved: the moving average when
  // config.train.ema_decay > 0, else the trained weights themselves.
  Span<const float> model_parameters() const;
  // Replaces the trained weights with `size` floats (layout().num_params;
  // else ConfigError) and restarts any moving average from them.
  void set_parameters(const float* params, size_t size);
  // The last step's gradients as backward computed them, before clipping
  // (AdamW applies last_clip_scale() as it reads them).
  Span<const float> gradients() const;
  // Rows per network call when sampling (bounds memory for large n).
  static constexpr int kSampleChunk = 2048;
  static constexpr int kMaxSamples = 10'000'000;

 private:
  // The units this facade drives (core/src/diffusion/): the network's
  // buffers and the data loader, kept out of this header so that the API
  // names neither xsimd nor the aligned containers.
  std::unique_ptr<NetworkBuffers> net_;
  std::unique_ptr<TrainingData> data_;
  PointSet held_out_;

  // Forward, loss, backward, clipping and AdamW on net_->batch.
  float update();
  // out [n, 2] = the network at time t on xy [n, 2] (labels: rows of the
  // class table, or null for no class), kSampleChunk rows at a time.
  void predict_into(float* out, const float* xy, int n, double t, const int* labels = nullptr);
  // out [n, 2] = the unconditional network at network_time (a timestep, or
  // a flow model's t * T) and div [n] the trace of its input Jacobian.
  void output_and_divergence(const float* xy, int n, double network_time, float* out, double* div);
  // The network or the ideal denoiser of the training data, as `kind` says.
  LabelledPredictor labelled_predictor(Denoiser kind);
  // loss_by_timestep's curve over `points` (the training data or others), the count checked.
  std::vector<float> loss_curve(const TrainingData& points, int points_per_t, uint64_t seed, Denoiser kind);
  void restart_average();
  void check_time(double t) const;
  // Throws ConfigError without training data.
  void require_data() const;

  DiffusionConfig config_;
  NoiseSchedule schedule_;
  std::vector<double> class_proportions_;
  Rng rng_;

  int64_t step_count_ = 0;
  bool diverged_ = false;
  double last_grad_norm_ = 0;
  float last_clip_scale_ = 1.0f;
};

}  // namespace tinydiff
