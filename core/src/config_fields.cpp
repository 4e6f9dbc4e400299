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
// ... and of SampleOptions.
template <auto Member>
double get_option(const SampleOptions& o) {
  return double(o.*Member);
}
template <auto Member>
void set_option(SampleOptions& o, double v) {
  using T = std::decay_t<decltype(o.*Member)>;
  o.*Member = T(v);
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

template <typename Target>
Field<Target> integer(const char* name, const char* js, const char* flag, const char* help, double lo, double hi,
                      InModelFile in_file, double (*get)(const Target&), void (*set)(Target&, double)) {
  return {name, js, flag, help, FieldKind::Integer, lo, hi, false, in_file, no_choices, get, set, nullptr};
}
template <typename Target>
Field<Target> real(const char* name, const char* js, const char* flag, const char* help, double lo, bool lo_open,
                   double hi, InModelFile in_file, double (*get)(const Target&), void (*set)(Target&, double)) {
  return {name, js, flag, help, FieldKind::Real, lo, hi, lo_open, in_file, no_choices, get, set, nullptr};
}
template <typename Target>
Field<Target> choice(const char* name, const char* js, const char* flag, const char* help, InModelFile in_file,
                     const std::vector<std::string>& (*names)(), double (*get)(const Target&),
                     void (*set)(Target&, double), std::string (*name_of)(const Target&)) {
  return {name, js, flag, help, FieldKind::Choice, 0, 0, false, in_file, names, get, set, name_of};
}

constexpr Sampler kSamplers[] = {Sampler::Ddpm, Sampler::Ddim, Sampler::DpmSolver};

std::string number_text(double v, int precision) {
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%.*g", precision, v);
  return buffer;
}
std::string short_number(double v) { return number_text(v, 6); }

}  // namespace

const std::vector<ConfigField>& config_fields() {
  static const std::vector<ConfigField> fields = {
      integer<DiffusionConfig>("hidden_size", "hiddenSize", "--hidden_size", "Width of the hidden layers", 1,
              Limits::kMaxHiddenSize, InModelFile::AlsoInShapes, get_number<kModel, &M::hidden_size>, set_number<kModel, &M::hidden_size>),
      integer<DiffusionConfig>("hidden_layers", "hiddenLayers", "--hidden_layers", "Number of residual GELU blocks", 0,
              Limits::kMaxHiddenLayers, InModelFile::AlsoInShapes, get_number<kModel, &M::hidden_layers>,
              set_number<kModel, &M::hidden_layers>),
      integer<DiffusionConfig>("embedding_size", "embeddingSize", "--embedding_size", "Width of each positional embedding",
              Limits::kMinEmbeddingSize, Limits::kMaxEmbeddingSize, InModelFile::AlsoInShapes, get_number<kModel, &M::embedding_size>,
              set_number<kModel, &M::embedding_size>),
      choice<DiffusionConfig>(
          "time_embedding", "timeEmbedding", "--time_embedding", "Embedding of the timestep", InModelFile::MetadataOnly,
          time_embedding_names, [](const DiffusionConfig& c) { return index_of(c.model.time_embedding, kTimeEmbeddings); },
          [](DiffusionConfig& c, double i) { c.model.time_embedding = kTimeEmbeddings[size_t(i)]; },
          [](const DiffusionConfig& c) { return to_string(c.model.time_embedding); }),
      choice<DiffusionConfig>(
          "input_embedding", "inputEmbedding", "--input_embedding", "Embedding of x and y", InModelFile::MetadataOnly,
          input_embedding_names, [](const DiffusionConfig& c) { return index_of(c.model.input_embedding, kInputEmbeddings); },
          [](DiffusionConfig& c, double i) { c.model.input_embedding = kInputEmbeddings[size_t(i)]; },
          [](const DiffusionConfig& c) { return to_string(c.model.input_embedding); }),
      real<DiffusionConfig>("input_scale", "inputScale", nullptr, "Factor on x and y before the input embedding", 0, true, 1e6,
           InModelFile::No, get_number<kModel, &M::input_scale>, set_number<kModel, &M::input_scale>),
      integer<DiffusionConfig>("num_timesteps", "numTimesteps", "--num_timesteps", "Diffusion steps T", 1, Limits::kMaxTimesteps,
              InModelFile::MetadataOnly, get_number<kSchedule, &S::num_timesteps>, set_number<kSchedule, &S::num_timesteps>),
      choice<DiffusionConfig>(
          "beta_schedule", "betaSchedule", "--beta_schedule", "Noise schedule", InModelFile::MetadataOnly,
          beta_schedule_names, [](const DiffusionConfig& c) { return index_of(c.schedule.beta_schedule, kSchedules); },
          [](DiffusionConfig& c, double i) { c.schedule.beta_schedule = kSchedules[size_t(i)]; },
          [](const DiffusionConfig& c) { return to_string(c.schedule.beta_schedule); }),
      real<DiffusionConfig>("beta_start", "betaStart", "--beta_start", "First beta (linear, quadratic, sigmoid)", 0, true, 0.999,
           InModelFile::MetadataOnly, get_number<kSchedule, &S::beta_start>, set_number<kSchedule, &S::beta_start>),
      real<DiffusionConfig>("beta_end", "betaEnd", "--beta_end", "Last beta (linear, quadratic, sigmoid)", 0, true, 0.999, InModelFile::MetadataOnly,
           get_number<kSchedule, &S::beta_end>, set_number<kSchedule, &S::beta_end>),
      integer<DiffusionConfig>("batch_size", "batchSize", "--train_batch_size", "Points per training step", 1,
              Limits::kMaxBatchSize, InModelFile::No, get_number<kTrain, &T::batch_size>, set_number<kTrain, &T::batch_size>),
      real<DiffusionConfig>("learning_rate", "learningRate", "--learning_rate", "AdamW learning rate", 0, true,
           Limits::kMaxLearningRate, InModelFile::No, get_number<kTrain, &T::learning_rate>,
           set_number<kTrain, &T::learning_rate>),
      real<DiffusionConfig>("weight_decay", "weightDecay", nullptr, "AdamW weight decay", 0, false, 1, InModelFile::No,
           get_number<kTrain, &T::weight_decay>, set_number<kTrain, &T::weight_decay>),
      real<DiffusionConfig>("adam_beta1", "adamBeta1", nullptr, "AdamW beta1", 0, false, 0.999999, InModelFile::No,
           get_number<kTrain, &T::adam_beta1>, set_number<kTrain, &T::adam_beta1>),
      real<DiffusionConfig>("adam_beta2", "adamBeta2", nullptr, "AdamW beta2", 0, false, 0.999999999, InModelFile::No,
           get_number<kTrain, &T::adam_beta2>, set_number<kTrain, &T::adam_beta2>),
      real<DiffusionConfig>("adam_eps", "adamEps", nullptr, "AdamW epsilon", 0, true, 1, InModelFile::No, get_number<kTrain, &T::adam_eps>,
           set_number<kTrain, &T::adam_eps>),
      real<DiffusionConfig>("grad_clip", "gradClip", nullptr, "Total gradient norm clipping", 0, true, 1e9, InModelFile::No,
           get_number<kTrain, &T::grad_clip>, set_number<kTrain, &T::grad_clip>),
      integer<DiffusionConfig>("seed", "seed", "--seed", "Seed of the data, initial weights, batches and sampling noise", 0,
              kMaxSafeInteger, InModelFile::No, get_number<kTrain, &T::seed>, set_number<kTrain, &T::seed>),
      real<DiffusionConfig>("ema_decay", "emaDecay", "--ema_decay",
           "Sample from a moving average of the weights with this decay (0: off; e.g. 0.999)", 0, false,
           0.999999, InModelFile::No, get_number<kTrain, &T::ema_decay>, set_number<kTrain, &T::ema_decay>),
      integer<DiffusionConfig>("lr_decay_steps", "lrDecaySteps", nullptr,
              "Steps over which the learning rate falls along a cosine (0: constant)", 0, double(int64_t(1) << 40),
              InModelFile::No, get_number<kTrain, &T::lr_decay_steps>, set_number<kTrain, &T::lr_decay_steps>),
      real<DiffusionConfig>("lr_final_fraction", "lrFinalFraction", "--lr_final_fraction",
           "The last learning rate of a decay, as a fraction of the first", 0, false, 1, InModelFile::No,
           get_number<kTrain, &T::lr_final_fraction>, set_number<kTrain, &T::lr_final_fraction>),
  };
  return fields;
}

namespace {
template <typename Target>
const Field<Target>* find_field(const std::vector<Field<Target>>& fields, std::string_view name, NameStyle style) {
  for (const Field<Target>& f : fields) {
    const char* candidate = style == NameStyle::Snake ? f.name : style == NameStyle::Camel ? f.js_name : f.cli_flag;
    if (candidate && name == candidate) return &f;
  }
  return nullptr;
}
}  // namespace

const ConfigField* find_config_field(std::string_view name, NameStyle style) {
  return find_field(config_fields(), name, style);
}

const ConfigField& config_field(std::string_view name) {
  const ConfigField* f = find_config_field(name, NameStyle::Snake);
  if (!f) throw std::logic_error("no config field named " + std::string(name));
  return *f;
}

template <typename Target>
std::string Field<Target>::display_name(NameStyle style) const {
  if (style == NameStyle::Camel) return js_name;
  if (style == NameStyle::Flag && cli_flag) return cli_flag;
  return name;
}

template <typename Target>
void Field<Target>::check(const Target& c, NameStyle style) const {
  const std::string field = display_name(style);
  const double v = get(c);
  if (kind == FieldKind::Choice) {
    if (v < 0) {
      // An unlisted value: an enum shared by two fields (no identity time embedding).
      const std::string got = name_of(c);
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

template <typename Target>
void Field<Target>::set_from_text(Target& c, const std::string& text, NameStyle style) const {
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

template <typename Target>
std::string Field<Target>::to_text(const Target& c) const {
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

template struct Field<DiffusionConfig>;
template struct Field<SampleOptions>;

const std::vector<SampleOptionField>& sample_option_fields() {
  static const std::vector<SampleOptionField> fields = {
      choice<SampleOptions>(
          "sampler", "sampler", "--sampler",
          "ddpm (all T steps), ddim or dpm-solver (DPM-Solver++ 2M: DDIM with a second-order step)", InModelFile::No,
          sampler_names, [](const SampleOptions& o) { return index_of(o.sampler, kSamplers); },
          [](SampleOptions& o, double i) { o.sampler = kSamplers[size_t(i)]; },
          [](const SampleOptions& o) { return to_string(o.sampler); }),
      integer<SampleOptions>("steps", "steps", "--steps", "DDIM or DPM-Solver steps, 1..T (0: T)", 0,
                             Limits::kMaxTimesteps, InModelFile::No, get_option<&SampleOptions::steps>,
                             set_option<&SampleOptions::steps>),
      real<SampleOptions>("eta", "eta", "--eta", "DDIM or DPM-Solver noise: 0 (deterministic) to 1", 0, false, 1,
                          InModelFile::No, get_option<&SampleOptions::eta>, set_option<&SampleOptions::eta>),
      real<SampleOptions>("clip_x0", "clipX0", "--clip_x0",
                          "DDIM or DPM-Solver: clamp the predicted data to [-B, B] (0: off); few steps over a "
                          "schedule that ends near pure noise need it",
                          0, false, 1e9, InModelFile::No, get_option<&SampleOptions::clip_x0>,
                          set_option<&SampleOptions::clip_x0>),
  };
  return fields;
}

const SampleOptionField* find_sample_option_field(std::string_view name, NameStyle style) {
  return find_field(sample_option_fields(), name, style);
}

void check_sample_options(const SampleOptions& options, NameStyle style) {
  for (const SampleOptionField& f : sample_option_fields()) f.check(options, style);
}

}  // namespace tinydiff
