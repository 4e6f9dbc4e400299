#include "tinydiff/config.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace tinydiff {
namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

[[noreturn]] void fail_name(const std::string& field, const std::string& got,
                            const std::vector<std::string>& allowed) {
  throw ConfigError(field + " must be one of " + join(allowed) + " (got \"" + got + "\")");
}

void check_int(const std::string& field, long long value, long long lo, long long hi) {
  if (value < lo || value > hi) {
    throw ConfigError(field + " must be an integer from " + std::to_string(lo) + " to " +
                      std::to_string(hi) + " (got " + std::to_string(value) + ")");
  }
}

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// Open interval (lo, hi] unless `closed_lo`.
void check_real(const std::string& field, double value, double lo, double hi, bool closed_lo) {
  bool ok = std::isfinite(value) && (closed_lo ? value >= lo : value > lo) && value <= hi;
  if (!ok) {
    throw ConfigError(field + " must be a number " + (closed_lo ? "from " : "greater than ") +
                      number(lo) + (closed_lo ? " to " : " and at most ") + number(hi) +
                      " (got " + number(value) + ")");
  }
}

}  // namespace

std::string to_string(EmbeddingKind kind) {
  switch (kind) {
    case EmbeddingKind::Sinusoidal: return "sinusoidal";
    case EmbeddingKind::Learnable: return "learnable";
    case EmbeddingKind::Linear: return "linear";
    case EmbeddingKind::Zero: return "zero";
    case EmbeddingKind::Identity: return "identity";
  }
  return "?";
}

std::string to_string(BetaSchedule schedule) {
  switch (schedule) {
    case BetaSchedule::Linear: return "linear";
    case BetaSchedule::Quadratic: return "quadratic";
    case BetaSchedule::Cosine: return "cosine";
    case BetaSchedule::Sigmoid: return "sigmoid";
  }
  return "?";
}

const std::vector<std::string>& time_embedding_names() {
  static const std::vector<std::string> names{"sinusoidal", "learnable", "linear", "zero"};
  return names;
}
const std::vector<std::string>& input_embedding_names() {
  static const std::vector<std::string> names{"sinusoidal", "learnable", "linear", "identity"};
  return names;
}
const std::vector<std::string>& beta_schedule_names() {
  static const std::vector<std::string> names{"linear", "quadratic", "cosine", "sigmoid"};
  return names;
}

EmbeddingKind parse_time_embedding(const std::string& name, const std::string& field) {
  if (name == "sinusoidal") return EmbeddingKind::Sinusoidal;
  if (name == "learnable") return EmbeddingKind::Learnable;
  if (name == "linear") return EmbeddingKind::Linear;
  if (name == "zero") return EmbeddingKind::Zero;
  fail_name(field, name, time_embedding_names());
}

EmbeddingKind parse_input_embedding(const std::string& name, const std::string& field) {
  if (name == "sinusoidal") return EmbeddingKind::Sinusoidal;
  if (name == "learnable") return EmbeddingKind::Learnable;
  if (name == "linear") return EmbeddingKind::Linear;
  if (name == "identity") return EmbeddingKind::Identity;
  fail_name(field, name, input_embedding_names());
}

BetaSchedule parse_beta_schedule(const std::string& name, const std::string& field) {
  if (name == "linear") return BetaSchedule::Linear;
  if (name == "quadratic") return BetaSchedule::Quadratic;
  if (name == "cosine") return BetaSchedule::Cosine;
  if (name == "sigmoid") return BetaSchedule::Sigmoid;
  fail_name(field, name, beta_schedule_names());
}

void validate(const DiffusionConfig& c) {
  check_int("hidden_size", c.model.hidden_size, 1, Limits::kMaxHiddenSize);
  check_int("hidden_layers", c.model.hidden_layers, 0, Limits::kMaxHiddenLayers);
  check_int("embedding_size", c.model.embedding_size, Limits::kMinEmbeddingSize,
            Limits::kMaxEmbeddingSize);
  bool sinusoidal = c.model.time_embedding == EmbeddingKind::Sinusoidal ||
                    c.model.input_embedding == EmbeddingKind::Sinusoidal;
  if (sinusoidal && c.model.embedding_size % 2 != 0) {
    throw ConfigError("embedding_size must be even for sinusoidal embeddings (got " +
                      std::to_string(c.model.embedding_size) + ")");
  }
  if (c.model.time_embedding == EmbeddingKind::Identity) {
    fail_name("time_embedding", "identity", time_embedding_names());
  }
  if (c.model.input_embedding == EmbeddingKind::Zero) {
    fail_name("input_embedding", "zero", input_embedding_names());
  }
  check_real("input_scale", c.model.input_scale, 0.0, 1e6, false);
  check_int("num_timesteps", c.schedule.num_timesteps, 1, Limits::kMaxTimesteps);
  check_real("beta_start", c.schedule.beta_start, 0.0, 0.999, false);
  check_real("beta_end", c.schedule.beta_end, 0.0, 0.999, false);
  if (c.schedule.beta_start > c.schedule.beta_end) {
    throw ConfigError("beta_start must not exceed beta_end (got " + number(c.schedule.beta_start) +
                      " > " + number(c.schedule.beta_end) + ")");
  }
  check_int("batch_size", c.train.batch_size, 1, Limits::kMaxBatchSize);
  check_real("learning_rate", c.train.learning_rate, 0.0, Limits::kMaxLearningRate, false);
  check_real("weight_decay", c.train.weight_decay, 0.0, 1.0, true);
  check_real("adam_beta1", c.train.adam_beta1, 0.0, 0.999999, true);
  check_real("adam_beta2", c.train.adam_beta2, 0.0, 0.999999999, true);
  check_real("adam_eps", c.train.adam_eps, 0.0, 1.0, false);
  check_real("grad_clip", c.train.grad_clip, 0.0, 1e9, false);
  check_real("ema_decay", c.train.ema_decay, 0.0, 0.999999, true);
  check_int("lr_decay_steps", c.train.lr_decay_steps, 0, int64_t(1) << 40);
  check_real("lr_final_fraction", c.train.lr_final_fraction, 0.0, 1.0, true);
}

const std::vector<std::string>& preset_names() {
  static const std::vector<std::string> names{"reference", "best"};
  return names;
}

DiffusionConfig preset_config(const std::string& name, int64_t planned_steps,
                              const std::string& field) {
  DiffusionConfig c;
  if (name == "reference") return c;
  if (name != "best") fail_name(field, name, preset_names());
  c.schedule.num_timesteps = 100;
  c.schedule.beta_schedule = BetaSchedule::Quadratic;
  c.schedule.beta_start = 1e-4;
  c.schedule.beta_end = 0.2;
  c.train.ema_decay = 0.999;
  c.train.lr_decay_steps = std::max<int64_t>(planned_steps, 0);
  c.train.lr_final_fraction = 0.1;
  return c;
}

double learning_rate_at(const TrainConfig& train, int64_t step) {
  if (train.lr_decay_steps <= 0) return train.learning_rate;
  constexpr double kPi = 3.14159265358979323846;
  const double progress = std::min(1.0, double(std::max<int64_t>(step - 1, 0)) / double(train.lr_decay_steps));
  const double floor = train.lr_final_fraction;
  return train.learning_rate * (floor + (1.0 - floor) * 0.5 * (1.0 + std::cos(kPi * progress)));
}

}  // namespace tinydiff
