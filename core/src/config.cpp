#include "tinydiff/config.hpp"

#include "tinydiff/config_fields.hpp"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <sstream>

namespace tinydiff {
namespace {

[[noreturn]] void fail_name(const std::string& field, const std::string& got,
                            const std::vector<std::string>& allowed) {
  throw ConfigError(not_one_of(field, allowed, got));
}

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

std::string not_one_of(const std::string& field, const std::vector<std::string>& allowed, const std::string& got) {
  return field + " must be one of " + join_names(allowed) + " (got \"" + got.substr(0, 40) + "\")";
}

std::string not_in_integer_range(const std::string& what, double lo, double hi, const std::string& got) {
  char bounds[80];
  std::snprintf(bounds, sizeof(bounds), "from %.17g to %.17g", lo, hi);
  return what + " must be an integer " + bounds + " (got " + got + ")";
}

void check_integer_range(const std::string& what, long long value, long long lo, long long hi) {
  if (value < lo || value > hi) throw ConfigError(not_in_integer_range(what, double(lo), double(hi), std::to_string(value)));
}

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

namespace {

// The enum value whose to_string() is `name`, if `name` is one `allowed`.
template <typename Enum>
Enum parse_name(const std::string& name, const std::string& field, const std::vector<std::string>& allowed,
                std::initializer_list<Enum> values) {
  if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) {
    for (Enum value : values) {
      if (to_string(value) == name) return value;
    }
  }
  fail_name(field, name, allowed);
}

constexpr auto kEmbeddingKinds = {EmbeddingKind::Sinusoidal, EmbeddingKind::Learnable, EmbeddingKind::Linear,
                                  EmbeddingKind::Zero, EmbeddingKind::Identity};

}  // namespace

EmbeddingKind parse_time_embedding(const std::string& name, const std::string& field) {
  return parse_name(name, field, time_embedding_names(), kEmbeddingKinds);
}

EmbeddingKind parse_input_embedding(const std::string& name, const std::string& field) {
  return parse_name(name, field, input_embedding_names(), kEmbeddingKinds);
}

const std::vector<std::string>& objective_names() {
  static const std::vector<std::string> names{"eps", "flow"};
  return names;
}

std::string to_string(Objective objective) { return objective == Objective::Flow ? "flow" : "eps"; }

Objective parse_objective(const std::string& name, const std::string& field) {
  return parse_name(name, field, objective_names(), {Objective::Eps, Objective::Flow});
}

const std::vector<std::string>& flow_time_names() {
  static const std::vector<std::string> names{"uniform", "squared"};
  return names;
}

std::string to_string(FlowTime flow_time) { return flow_time == FlowTime::Squared ? "squared" : "uniform"; }

const std::vector<std::string>& coupling_names() {
  static const std::vector<std::string> names{"independent", "ot"};
  return names;
}

std::string to_string(Coupling coupling) { return coupling == Coupling::Ot ? "ot" : "independent"; }

Coupling parse_coupling(const std::string& name, const std::string& field) {
  return parse_name(name, field, coupling_names(), {Coupling::Independent, Coupling::Ot});
}

FlowTime parse_flow_time(const std::string& name, const std::string& field) {
  return parse_name(name, field, flow_time_names(), {FlowTime::Uniform, FlowTime::Squared});
}

SampleOptions default_sampling(Objective objective) {
  SampleOptions o;
  if (objective == Objective::Flow) o.sampler = Sampler::Euler;
  return o;
}

const std::vector<std::string>& denoiser_names() {
  static const std::vector<std::string> names{"network", "ideal"};
  return names;
}

std::string to_string(Denoiser denoiser) { return denoiser == Denoiser::Ideal ? "ideal" : "network"; }

Denoiser parse_denoiser(const std::string& name, const std::string& field) {
  return parse_name(name, field, denoiser_names(), {Denoiser::Network, Denoiser::Ideal});
}

BetaSchedule parse_beta_schedule(const std::string& name, const std::string& field) {
  return parse_name(name, field, beta_schedule_names(),
                    {BetaSchedule::Linear, BetaSchedule::Quadratic, BetaSchedule::Cosine, BetaSchedule::Sigmoid});
}

void validate(const DiffusionConfig& c) { validate(c, NameStyle::Snake); }

void validate(const DiffusionConfig& c, NameStyle style) {
  for (const ConfigField& field : config_fields()) field.check(c, style);
  // What no single row can say.
  const auto name = [&](const char* field) { return config_field(field).display_name(style); };
  bool sinusoidal = c.model.time_embedding == EmbeddingKind::Sinusoidal ||
                    c.model.input_embedding == EmbeddingKind::Sinusoidal;
  if (sinusoidal && c.model.embedding_size % 2 != 0) {
    throw ConfigError(name("embedding_size") + " must be even for sinusoidal embeddings (got " +
                      std::to_string(c.model.embedding_size) + ")");
  }
  if (c.train.train_size > 0 && c.train.train_size < kMinTrainSize) {
    throw ConfigError(name("train_size") + " must be 0 (all the points) or at least " + std::to_string(kMinTrainSize) +
                      " (got " + std::to_string(c.train.train_size) + ")");
  }
  if (c.schedule.coupling == Coupling::Ot && c.schedule.objective != Objective::Flow) {
    throw ConfigError(name("coupling") + " ot pairs noise with data for the flow objective: set " + name("objective") +
                      " to flow");
  }
  if (c.schedule.beta_start > c.schedule.beta_end) {
    throw ConfigError(name("beta_start") + " must not exceed " + name("beta_end") + " (got " +
                      number(c.schedule.beta_start) + " > " + number(c.schedule.beta_end) + ")");
  }
}

const std::vector<std::string>& preset_names() {
  static const std::vector<std::string> names{"reference", "best", "quick"};
  return names;
}

DiffusionConfig preset_config(const std::string& name, int64_t planned_steps,
                              const std::string& field) {
  DiffusionConfig c;
  if (name == "reference") return c;
  if (name != "best" && name != "quick") fail_name(field, name, preset_names());
  if (name == "quick") {  // learns in seconds on the page (docs/ablations.md, "Learning in seconds")
    c.model.hidden_size = 64;
    c.model.embedding_size = 32;
    c.train.learning_rate = 2e-3;
    c.train.lr_warmup_steps = 200;
  }
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
  const double warmup =
      train.lr_warmup_steps > 0 ? std::min(1.0, double(std::max<int64_t>(step, 1)) / double(train.lr_warmup_steps)) : 1.0;
  if (train.lr_decay_steps <= 0) return train.learning_rate * warmup;
  constexpr double kPi = 3.14159265358979323846;
  const double progress = std::min(1.0, double(std::max<int64_t>(step - 1, 0)) / double(train.lr_decay_steps));
  const double floor = train.lr_final_fraction;
  return train.learning_rate * warmup * (floor + (1.0 - floor) * 0.5 * (1.0 + std::cos(kPi * progress)));
}

}  // namespace tinydiff
