// Hyperparameters of a tinydiff model and their validation.
//
// Defaults are the reference tiny-diffusion's (`python ddpm.py` with no flags).
// Every front end (CLI, wasm bindings) fills these structs and calls
// validate(), so a bad value gets the same message everywhere.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tinydiff {

enum class EmbeddingKind { Sinusoidal, Learnable, Linear, Zero, Identity };
enum class BetaSchedule { Linear, Quadratic, Cosine, Sigmoid };

// Thrown for any invalid user-facing value; what() names the field and range.
class ConfigError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// "a, b, c": how messages and help texts list names.
std::string join_names(const std::vector<std::string>& names);
// `field must be one of a, b, c (got "x")`: the message for a name not allowed.
std::string not_one_of(const std::string& field, const std::vector<std::string>& allowed, const std::string& got);
// `what must be an integer from lo to hi (got x)`: the message for a value
// that is not an integer in that range, wherever one is checked.
std::string not_in_integer_range(const std::string& what, double lo, double hi, const std::string& got);
// Throws ConfigError with that message unless lo <= value <= hi.
void check_integer_range(const std::string& what, long long value, long long lo, long long hi);

std::string to_string(EmbeddingKind kind);
std::string to_string(BetaSchedule schedule);
// Parse a name ("sinusoidal", ...); throws ConfigError naming `field` and the
// allowed names.
EmbeddingKind parse_time_embedding(const std::string& name, const std::string& field = "time_embedding");
EmbeddingKind parse_input_embedding(const std::string& name, const std::string& field = "input_embedding");
BetaSchedule parse_beta_schedule(const std::string& name, const std::string& field = "beta_schedule");
const std::vector<std::string>& time_embedding_names();   // sinusoidal learnable linear zero
const std::vector<std::string>& input_embedding_names();  // sinusoidal learnable linear identity
const std::vector<std::string>& beta_schedule_names();    // linear quadratic cosine sigmoid

struct ModelConfig {
  int hidden_size = 128;
  int hidden_layers = 3;
  int embedding_size = 128;
  EmbeddingKind time_embedding = EmbeddingKind::Sinusoidal;
  EmbeddingKind input_embedding = EmbeddingKind::Sinusoidal;
  float input_scale = 25.0f;  // the reference multiplies x and y by 25 before embedding
  // Classes of a conditional model (0: unconditional, the reference). With K
  // classes a learnable table of K + 1 rows of embedding_size values (row K:
  // "no class") joins the input and time embeddings; see MlpLayout.
  int num_classes = 0;
};

// What the network learns to predict. Eps (the reference's DDPM): the noise
// eps in x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps, t an integer step of
// the beta schedule. Flow (rectified flow, flow matching): the velocity
// eps - x0 along the straight path x_t = (1 - t) x0 + t eps, t uniform in
// [0, 1]; the time embedding sees t * T (T = num_timesteps), the range it
// sees DDPM's integer steps in, and the betas play no part.
enum class Objective { Eps, Flow };
Objective parse_objective(const std::string& name, const std::string& field = "objective");
std::string to_string(Objective objective);
const std::vector<std::string>& objective_names();  // eps flow

// How the flow objective draws t for training. Uniform: t ~ U[0, 1], the
// textbook rectified flow. Squared: t = u^2 with u ~ U[0, 1] (density
// 1 / (2 sqrt t)): more of training near the data, where the velocity field
// is sharpest; on the dino it halves the gap to the data (docs/ablations.md,
// "Flow matching"). The noise-prediction objective ignores it.
enum class FlowTime { Uniform, Squared };
FlowTime parse_flow_time(const std::string& name, const std::string& field = "flow_time");
std::string to_string(FlowTime flow_time);
const std::vector<std::string>& flow_time_names();  // uniform squared

// How the flow objective pairs each training batch's noise with its data.
// Independent: as drawn (the textbook's). Ot: re-paired by the exact optimal
// assignment under squared distance, within each class (minibatch OT-CFM:
// Tong et al., TMLR 2024; Pooladian et al. 2023; within classes, C2OT:
// Cheng and Schwing 2025), which straightens the paths few-step sampling
// follows. The noise-prediction objective takes independent only.
enum class Coupling { Independent, Ot };
Coupling parse_coupling(const std::string& name, const std::string& field = "coupling");
std::string to_string(Coupling coupling);
const std::vector<std::string>& coupling_names();  // independent ot

struct ScheduleConfig {
  int num_timesteps = 50;  // Flow: the scale of t in the time embedding and the default sampling steps
  BetaSchedule beta_schedule = BetaSchedule::Linear;
  double beta_start = 1e-4;
  double beta_end = 0.02;
  Objective objective = Objective::Eps;
  FlowTime flow_time = FlowTime::Uniform;
  Coupling coupling = Coupling::Independent;
};

struct TrainConfig {
  int batch_size = 32;
  double learning_rate = 1e-3;
  double weight_decay = 0.01;  // torch.optim.AdamW default
  double adam_beta1 = 0.9;
  double adam_beta2 = 0.999;
  double adam_eps = 1e-8;
  double grad_clip = 1.0;  // total-norm clipping, as the reference
  uint64_t seed = 0;       // parameter init and the training stream
  // Not in the reference (both off by default): an exponential moving average
  // of the weights, which sampling then uses (0: off; e.g. 0.999), and a
  // cosine decay of the learning rate from learning_rate to
  // lr_final_fraction * learning_rate over lr_decay_steps steps (0: constant).
  double ema_decay = 0.0;
  int64_t lr_decay_steps = 0;
  double lr_final_fraction = 0.0;
  // A linear warm-up of the learning rate from 0 over the first
  // lr_warmup_steps steps (0: none), before any decay: a high learning rate
  // on freshly initialised weights otherwise spends its first steps undoing
  // a few large, badly aimed updates (docs/ablations.md, "Learning in seconds").
  int64_t lr_warmup_steps = 0;
  // A conditional model (num_classes > 0): the share of training points
  // whose label is replaced by "no class", so that one network learns the
  // conditional and the unconditional model (classifier-free guidance).
  double class_dropout = 0.1;
  // Train on this many of the given points (0: all of them; at least
  // kMinTrainSize otherwise): a seeded subset (split_training_set in
  // dataset.hpp), the rest held out. A preset's points are independent draws
  // of its distribution, so the held-out ones are fresh points of it: the
  // test set and the base rate of docs/memorisation.md.
  int64_t train_size = 0;
};
constexpr int64_t kMinTrainSize = 8;

// DDPM: all T ancestral steps. DDIM: `steps` of them (eta 0 deterministic ..
// 1 as noisy as DDPM). DpmSolver: DPM-Solver++(2M) over the same timesteps:
// DDIM's update with a second-order (two-step) extrapolation of the
// predicted data; eta 0 is its ODE form, 1 its SDE form. Same cost per step
// as DDIM, closer to DDPM's quality at 10-20 steps (docs/ablations.md).
// Euler and Heun: the flow objective's ODE dx/dt = v(x, t) from t = 1 to 0
// over `steps` evenly spaced steps, first order, or second order (Heun's
// trapezoid: two network calls a step).
enum class Sampler { Ddpm, Ddim, DpmSolver, Euler, Heun };
Sampler parse_sampler(const std::string& name, const std::string& field = "sampler");
std::string to_string(Sampler sampler);
const std::vector<std::string>& sampler_names();  // ddpm ddim dpm-solver euler heun (core/src/samplers.cpp)

// What predicts the noise while sampling: the trained network, or the ideal
// denoiser of the training points (core/include/tinydiff/ideal_denoiser.hpp),
// the exact posterior mean the network is trained towards. Sampling with the
// ideal one reproduces training points: memorisation.
enum class Denoiser { Network, Ideal };
Denoiser parse_denoiser(const std::string& name, const std::string& field = "denoiser");
std::string to_string(Denoiser denoiser);
const std::vector<std::string>& denoiser_names();  // network ideal

// How to sample (Diffusion::sample); checked there, against the model's T.
struct SampleOptions {
  Sampler sampler = Sampler::Ddpm;
  int steps = 0;     // DDIM / DPM-Solver: denoising steps, 1..T (0: T). DDPM always takes T.
  double eta = 0.0;  // DDIM / DPM-Solver: 0 deterministic .. 1 as noisy as DDPM
  // DDIM / DPM-Solver: clamp each coordinate of the predicted data to
  // [-clip_x0, clip_x0] (0: off), as diffusers' clip_sample. A few steps over
  // a schedule that ends near pure noise (abar_T ~ 1e-8) divide the first
  // data predictions by sqrt(abar_t) ~ 1e-4 and scatter samples far out;
  // a bound of about the data's extent keeps them. DDPM needs none.
  double clip_x0 = 0.0;
  Denoiser denoiser = Denoiser::Network;
  // A conditional model: the class to draw (kAllClasses: each sample a class
  // drawn in the training data's proportions) and the guidance scale w:
  // prediction = uncond + w (cond - uncond), so 0 is the unconditional
  // model, 1 the conditional one (each computed alone, exactly) and w > 1
  // guided. An unconditional model takes only kAllClasses and ignores w.
  int class_label = kAllClasses;
  double guidance = 1.0;
  static constexpr int kAllClasses = -1;
};

// How a model of this objective samples unless told otherwise: DDPM over all
// T steps (eps), Euler over T steps (flow).
SampleOptions default_sampling(Objective objective);

// The learning rate of step `step` (1-based) under `train`'s warm-up and decay.
double learning_rate_at(const TrainConfig& train, int64_t step);

struct DiffusionConfig {
  ModelConfig model;
  ScheduleConfig schedule;
  TrainConfig train;
};

// Named starting points: "reference" (the defaults above: the reference
// tiny-diffusion), "best" (docs/ablations.md: a schedule that reaches pure
// noise, T = 100 quadratic betas 1e-4..0.2, an average of the weights, and a
// cosine learning-rate decay over `planned_steps` training steps) and
// "quick" (the page's default: best with a network of hidden size 64 and
// embeddings of 32, 3.6x the steps per second, and a learning rate of 2e-3
// after a 200-step warm-up; docs/ablations.md, "Learning in seconds").
const std::vector<std::string>& preset_names();
DiffusionConfig preset_config(const std::string& name, int64_t planned_steps,
                              const std::string& field = "preset");

// Allowed ranges, shared by validation, CLI help and the wasm errors.
struct Limits {
  static constexpr int kMaxHiddenSize = 4096;
  static constexpr int kMaxHiddenLayers = 64;
  static constexpr int kMinEmbeddingSize = 4;  // sinusoidal needs half_size - 1 > 0
  static constexpr int kMaxEmbeddingSize = 4096;
  static constexpr int kMaxTimesteps = 10000;
  static constexpr int kMaxBatchSize = 65536;
  static constexpr double kMaxLearningRate = 100.0;
  static constexpr int kMaxClasses = 8;
  static constexpr double kMaxGuidance = 100.0;
};

enum class NameStyle;  // config_fields.hpp

// Throws ConfigError for the first invalid field (in the order of
// config_fields()), naming it in `style`, e.g.
// "hidden_size must be an integer from 1 to 4096 (got 0)".
void validate(const DiffusionConfig& config);
void validate(const DiffusionConfig& config, NameStyle style);

}  // namespace tinydiff
