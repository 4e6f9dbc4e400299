#include "tinydiff/config_fields.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <type_traits>

namespace tinydiff {
namespace {

// Reading and writing one member of one section of DiffusionConfig.
template <auto Section, auto Member>
double get_number(const DiffusionConfig& c) {
  return double((c.*Section).*Member);
}
template <auto Section, auto Member>
void set_number(DiffusionConfig& c, double v) {
  using T = std::decay_t<decltype((c.*Section).*Member)>;
  (c.*Section).*Member = T(v);
}

// Choice members hold an enum; the table speaks of its index in the names.
template <typename Enum, size_t N>
double index_of(Enum value, const Enum (&values)[N]) {
  for (size_t i = 0; i < N; ++i) {
    if (values[i] == value) return double(i);
  }
  return -1;  // a value this field does not allow (an identity time embedding)
}

constexpr EmbeddingKind kTimeEmbeddings[] = {EmbeddingKind::Sinusoidal, EmbeddingKind::Learnable,
                                             EmbeddingKind::Linear, EmbeddingKind::Zero};
constexpr EmbeddingKind kInputEmbeddings[] = {EmbeddingKind::Sinusoidal, EmbeddingKind::Learnable,
                                              EmbeddingKind::Linear, EmbeddingKind::Identity};
constexpr BetaSchedule kSchedules[] = {BetaSchedule::Linear, BetaSchedule::Quadratic, BetaSchedule::Cosine,
                                       BetaSchedule::Sigmoid};

constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1: exact in a JS number

using M = ModelConfig;
using S = ScheduleConfig;
using T = TrainConfig;
constexpr auto kModel = &DiffusionConfig::model;
constexpr auto kSchedule = &DiffusionConfig::schedule;
constexpr auto kTrain = &DiffusionConfig::train;
const std::vector<std::string>& no_choices() {
  static const std::vector<std::string> none;
  return none;
}

ConfigField integer(const char* name, const char* js, const char* flag, const char* help, double lo, double hi,
                    InModelFile in_file, double (*get)(const DiffusionConfig&), void (*set)(DiffusionConfig&, double)) {
  return {name, js, flag, help, FieldKind::Integer, lo, hi, false, in_file, no_choices, get, set};
}
ConfigField real(const char* name, const char* js, const char* flag, const char* help, double lo, bool lo_open,
                 double hi, InModelFile in_file, double (*get)(const DiffusionConfig&), void (*set)(DiffusionConfig&, double)) {
  return {name, js, flag, help, FieldKind::Real, lo, hi, lo_open, in_file, no_choices, get, set};
}
ConfigField choice(const char* name, const char* js, const char* flag, const char* help,
                   const std::vector<std::string>& (*names)(), double (*get)(const DiffusionConfig&),
                   void (*set)(DiffusionConfig&, double)) {
  return {name, js, flag, help, FieldKind::Choice, 0, 0, false, InModelFile::MetadataOnly, names, get, set};
}

std::string number_text(double v, int precision) {
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%.*g", precision, v);
  return buffer;
}
std::string short_number(double v) { return number_text(v, 6); }

}  // namespace

const std::vector<ConfigField>& config_fields() {
  static const std::vector<ConfigField> fields = {
      integer("hidden_size", "hiddenSize", "--hidden_size", "Width of the hidden layers", 1,
              Limits::kMaxHiddenSize, InModelFile::AlsoInShapes, get_number<kModel, &M::hidden_size>, set_number<kModel, &M::hidden_size>),
      integer("hidden_layers", "hiddenLayers", "--hidden_layers", "Number of residual GELU blocks", 0,
              Limits::kMaxHiddenLayers, InModelFile::AlsoInShapes, get_number<kModel, &M::hidden_layers>,
              set_number<kModel, &M::hidden_layers>),
      integer("embedding_size", "embeddingSize", "--embedding_size", "Width of each positional embedding",
              Limits::kMinEmbeddingSize, Limits::kMaxEmbeddingSize, InModelFile::AlsoInShapes, get_number<kModel, &M::embedding_size>,
              set_number<kModel, &M::embedding_size>),
      choice("time_embedding", "timeEmbedding", "--time_embedding", "Embedding of the timestep",
             time_embedding_names,
             [](const DiffusionConfig& c) { return index_of(c.model.time_embedding, kTimeEmbeddings); },
             [](DiffusionConfig& c, double i) { c.model.time_embedding = kTimeEmbeddings[size_t(i)]; }),
      choice("input_embedding", "inputEmbedding", "--input_embedding", "Embedding of x and y",
             input_embedding_names,
             [](const DiffusionConfig& c) { return index_of(c.model.input_embedding, kInputEmbeddings); },
             [](DiffusionConfig& c, double i) { c.model.input_embedding = kInputEmbeddings[size_t(i)]; }),
      real("input_scale", "inputScale", nullptr, "Factor on x and y before the input embedding", 0, true, 1e6,
           InModelFile::No, get_number<kModel, &M::input_scale>, set_number<kModel, &M::input_scale>),
      integer("num_timesteps", "numTimesteps", "--num_timesteps", "Diffusion steps T", 1, Limits::kMaxTimesteps,
              InModelFile::MetadataOnly, get_number<kSchedule, &S::num_timesteps>, set_number<kSchedule, &S::num_timesteps>),
      choice("beta_schedule", "betaSchedule", "--beta_schedule", "Noise schedule", beta_schedule_names,
             [](const DiffusionConfig& c) { return index_of(c.schedule.beta_schedule, kSchedules); },
             [](DiffusionConfig& c, double i) { c.schedule.beta_schedule = kSchedules[size_t(i)]; }),
      real("beta_start", "betaStart", "--beta_start", "First beta (linear, quadratic, sigmoid)", 0, true, 0.999,
           InModelFile::MetadataOnly, get_number<kSchedule, &S::beta_start>, set_number<kSchedule, &S::beta_start>),
      real("beta_end", "betaEnd", "--beta_end", "Last beta (linear, quadratic, sigmoid)", 0, true, 0.999, InModelFile::MetadataOnly,
           get_number<kSchedule, &S::beta_end>, set_number<kSchedule, &S::beta_end>),
      integer("batch_size", "batchSize", "--train_batch_size", "Points per training step", 1,
              Limits::kMaxBatchSize, InModelFile::No, get_number<kTrain, &T::batch_size>, set_number<kTrain, &T::batch_size>),
      real("learning_rate", "learningRate", "--learning_rate", "AdamW learning rate", 0, true,
           Limits::kMaxLearningRate, InModelFile::No, get_number<kTrain, &T::learning_rate>,
           set_number<kTrain, &T::learning_rate>),
      real("weight_decay", "weightDecay", nullptr, "AdamW weight decay", 0, false, 1, InModelFile::No,
           get_number<kTrain, &T::weight_decay>, set_number<kTrain, &T::weight_decay>),
      real("adam_beta1", "adamBeta1", nullptr, "AdamW beta1", 0, false, 0.999999, InModelFile::No,
           get_number<kTrain, &T::adam_beta1>, set_number<kTrain, &T::adam_beta1>),
      real("adam_beta2", "adamBeta2", nullptr, "AdamW beta2", 0, false, 0.999999999, InModelFile::No,
           get_number<kTrain, &T::adam_beta2>, set_number<kTrain, &T::adam_beta2>),
      real("adam_eps", "adamEps", nullptr, "AdamW epsilon", 0, true, 1, InModelFile::No, get_number<kTrain, &T::adam_eps>,
           set_number<kTrain, &T::adam_eps>),
      real("grad_clip", "gradClip", nullptr, "Total gradient norm clipping", 0, true, 1e9, InModelFile::No,
           get_number<kTrain, &T::grad_clip>, set_number<kTrain, &T::grad_clip>),
      integer("seed", "seed", "--seed", "Seed of the data, initial weights, batches and sampling noise", 0,
              kMaxSafeInteger, InModelFile::No, get_number<kTrain, &T::seed>, set_number<kTrain, &T::seed>),
      real("ema_decay", "emaDecay", "--ema_decay",
           "Sample from a moving average of the weights with this decay (0: off; e.g. 0.999)", 0, false,
           0.999999, InModelFile::No, get_number<kTrain, &T::ema_decay>, set_number<kTrain, &T::ema_decay>),
      integer("lr_decay_steps", "lrDecaySteps", nullptr,
              "Steps over which the learning rate falls along a cosine (0: constant)", 0, double(int64_t(1) << 40),
              InModelFile::No, get_number<kTrain, &T::lr_decay_steps>, set_number<kTrain, &T::lr_decay_steps>),
      real("lr_final_fraction", "lrFinalFraction", "--lr_final_fraction",
           "The last learning rate of a decay, as a fraction of the first", 0, false, 1, InModelFile::No,
           get_number<kTrain, &T::lr_final_fraction>, set_number<kTrain, &T::lr_final_fraction>),
  };
  return fields;
}

const ConfigField* find_config_field(std::string_view name, NameStyle style) {
  for (const ConfigField& f : config_fields()) {
    const char* candidate = style == NameStyle::Snake ? f.name : style == NameStyle::Camel ? f.js_name : f.cli_flag;
    if (candidate && name == candidate) return &f;
  }
  return nullptr;
}

const ConfigField& config_field(std::string_view name) {
  const ConfigField* f = find_config_field(name, NameStyle::Snake);
  if (!f) throw std::logic_error("no config field named " + std::string(name));
  return *f;
}

std::string ConfigField::display_name(NameStyle style) const {
  if (style == NameStyle::Camel) return js_name;
  if (style == NameStyle::Flag && cli_flag) return cli_flag;
  return name;
}

void ConfigField::check(const DiffusionConfig& c, NameStyle style) const {
  const std::string field = display_name(style);
  const double v = get(c);
  if (kind == FieldKind::Choice) {
    if (v < 0) {
      // The one way to hold an unlisted value: an enum shared by two fields.
      const std::string got = name == std::string_view("time_embedding") ? to_string(c.model.time_embedding)
                                                                          : to_string(c.model.input_embedding);
      std::string allowed;
      for (const auto& n : choices()) allowed += (allowed.empty() ? "" : ", ") + n;
      throw ConfigError(field + " must be one of " + allowed + " (got \"" + got + "\")");
    }
    return;
  }
  if (kind == FieldKind::Integer) {
    if (!(v >= min && v <= max)) {
      throw ConfigError(field + " must be an integer from " + number_text(min, 17) + " to " + number_text(max, 17) +
                        " (got " + number_text(v, 17) + ")");
    }
    return;
  }
  const bool ok = std::isfinite(v) && (min_exclusive ? v > min : v >= min) && v <= max;
  if (!ok) {
    throw ConfigError(field + " must be a number " + (min_exclusive ? "greater than " : "from ") + short_number(min) +
                      (min_exclusive ? " and at most " : " to ") + short_number(max) + " (got " + short_number(v) +
                      ")");
  }
}

void ConfigField::set_from_text(DiffusionConfig& c, const std::string& text, NameStyle style) const {
  const std::string field = display_name(style);
  if (kind == FieldKind::Choice) {
    const auto& names = choices();
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == text) {
        set(c, double(i));
        return;
      }
    }
    std::string allowed;
    for (const auto& n : names) allowed += (allowed.empty() ? "" : ", ") + n;
    throw ConfigError(field + " must be one of " + allowed + " (got \"" + text.substr(0, 40) + "\")");
  }
  char* end = nullptr;
  const double v = text.empty() ? NAN : std::strtod(text.c_str(), &end);
  const bool parsed = !text.empty() && end && *end == '\0';
  if (!parsed || (kind == FieldKind::Integer && (v != std::floor(v) || !std::isfinite(v)))) {
    throw ConfigError(field + " must be " + (kind == FieldKind::Integer ? "an integer" : "a number") + " (got \"" +
                      text.substr(0, 40) + "\")");
  }
  if (kind == FieldKind::Integer && !(v >= min && v <= max)) {  // before the cast to the member's type
    throw ConfigError(field + " must be an integer from " + number_text(min, 17) + " to " + number_text(max, 17) +
                      " (got " + text.substr(0, 40) + ")");
  }
  set(c, v);
  check(c, style);
}

std::string ConfigField::to_text(const DiffusionConfig& c) const {
  const double v = get(c);
  if (kind == FieldKind::Choice) return v < 0 ? std::string("?") : choices()[size_t(v)];
  if (kind == FieldKind::Integer) return number_text(v, 17);
  // The shortest text that reads back as the same double.
  for (int precision = 1; precision < 17; ++precision) {
    const std::string text = number_text(v, precision);
    if (std::strtod(text.c_str(), nullptr) == v) return text;
  }
  return number_text(v, 17);
}

}  // namespace tinydiff
