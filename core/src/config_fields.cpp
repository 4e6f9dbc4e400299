#include "tinydiff/config_fields.hpp"

#include "tinydiff/dataset.hpp"

#include <algorithm>
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
  return {name, js, flag, help, FieldKind::Integer, lo, hi, false, in_file, get, set, no_choices, nullptr, nullptr};
}
template <typename Target>
Field<Target> real(const char* name, const char* js, const char* flag, const char* help, double lo, bool lo_open,
                   double hi, InModelFile in_file, double (*get)(const Target&), void (*set)(Target&, double)) {
  return {name, js, flag, help, FieldKind::Real, lo, hi, lo_open, in_file, get, set, no_choices, nullptr, nullptr};
}
// An enum field: its names are the ones to_string() gives and parse_*() reads.
template <typename Target>
Field<Target> choice(const char* name, const char* js, const char* flag, const char* help, InModelFile in_file,
                     const std::vector<std::string>& (*names)(), std::string (*name_of)(const Target&),
                     void (*set_name)(Target&, const std::string&)) {
  return {name, js, flag, help, FieldKind::Choice, 0, 0, false, in_file, nullptr, nullptr, names, name_of, set_name};
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
          time_embedding_names, [](const DiffusionConfig& c) { return to_string(c.model.time_embedding); },
          [](DiffusionConfig& c, const std::string& n) { c.model.time_embedding = parse_time_embedding(n); }),
      choice<DiffusionConfig>(
          "input_embedding", "inputEmbedding", "--input_embedding", "Embedding of x and y", InModelFile::MetadataOnly,
          input_embedding_names, [](const DiffusionConfig& c) { return to_string(c.model.input_embedding); },
          [](DiffusionConfig& c, const std::string& n) { c.model.input_embedding = parse_input_embedding(n); }),
      integer<DiffusionConfig>("num_classes", "numClasses", nullptr,
              "Classes of a conditional model (0: unconditional); labels 0..K-1", 0, Limits::kMaxClasses,
              InModelFile::AlsoInShapes, get_number<kModel, &M::num_classes>, set_number<kModel, &M::num_classes>),
      real<DiffusionConfig>("input_scale", "inputScale", nullptr, "Factor on x and y before the input embedding", 0, true, 1e6,
           InModelFile::No, get_number<kModel, &M::input_scale>, set_number<kModel, &M::input_scale>),
      integer<DiffusionConfig>("num_timesteps", "numTimesteps", "--num_timesteps", "Diffusion steps T", 1, Limits::kMaxTimesteps,
              InModelFile::MetadataOnly, get_number<kSchedule, &S::num_timesteps>, set_number<kSchedule, &S::num_timesteps>),
      choice<DiffusionConfig>(
          "objective", "objective", "--objective",
          "What the network predicts: eps (the noise, DDPM) or flow (the velocity eps - x0 of rectified flow)",
          InModelFile::MetadataOnly, objective_names,
          [](const DiffusionConfig& c) { return to_string(c.schedule.objective); },
          [](DiffusionConfig& c, const std::string& n) { c.schedule.objective = parse_objective(n); }),
      choice<DiffusionConfig>(
          "flow_time", "flowTime", "--flow_time",
          "Flow objective: how training draws t, uniform (t ~ U[0, 1]) or squared (t = u^2: more training near the data)",
          InModelFile::No, flow_time_names,
          [](const DiffusionConfig& c) { return to_string(c.schedule.flow_time); },
          [](DiffusionConfig& c, const std::string& n) { c.schedule.flow_time = parse_flow_time(n); }),
      choice<DiffusionConfig>(
          "coupling", "coupling", "--coupling",
          "Flow objective: how a batch's noise is paired with its data, independent (as drawn) or ot (the optimal "
          "assignment under squared distance, within each class: straighter paths)",
          InModelFile::MetadataOnly, coupling_names,
          [](const DiffusionConfig& c) { return to_string(c.schedule.coupling); },
          [](DiffusionConfig& c, const std::string& n) { c.schedule.coupling = parse_coupling(n); }),
      choice<DiffusionConfig>(
          "beta_schedule", "betaSchedule", "--beta_schedule", "Noise schedule", InModelFile::MetadataOnly,
          beta_schedule_names, [](const DiffusionConfig& c) { return to_string(c.schedule.beta_schedule); },
          [](DiffusionConfig& c, const std::string& n) { c.schedule.beta_schedule = parse_beta_schedule(n); }),
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
      integer<DiffusionConfig>("lr_warmup_steps", "lrWarmupSteps", "--lr_warmup_steps",
              "Steps over which the learning rate rises linearly from 0 (0: none)", 0, double(int64_t(1) << 40),
              InModelFile::No, get_number<kTrain, &T::lr_warmup_steps>, set_number<kTrain, &T::lr_warmup_steps>),
      real<DiffusionConfig>("class_dropout", "classDropout", "--class_dropout",
           "A conditional model: the share of training labels replaced by \"no class\" (for guidance)", 0, false, 1,
           InModelFile::No, get_number<kTrain, &T::class_dropout>, set_number<kTrain, &T::class_dropout>),
      integer<DiffusionConfig>("train_size", "trainSize", "--train_size",
              "Train on this many of the points, a seeded subset, holding out the rest (0: all; else at least 8)", 0,
              kMaxDatasetSize, InModelFile::MetadataOnly, get_number<kTrain, &T::train_size>,
              set_number<kTrain, &T::train_size>),
  };
  return fields;
}

const ConfigField& config_field(std::string_view name) {
  const ConfigField* f = find_field(config_fields(), name, NameStyle::Snake);
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
  if (kind == FieldKind::Choice) {
    const std::string current = name_of(c);
    const auto& allowed = choices();
    if (std::find(allowed.begin(), allowed.end(), current) == allowed.end()) {
      throw ConfigError(not_one_of(field, allowed, current));
    }
    return;
  }
  const double v = get(c);
  if (kind == FieldKind::Integer) {
    if (!(v >= min && v <= max)) throw ConfigError(not_in_integer_range(field, min, max, number_text(v, 17)));
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
    const auto& allowed = choices();
    if (std::find(allowed.begin(), allowed.end(), text) == allowed.end()) throw ConfigError(not_one_of(field, allowed, text));
    set_name(c, text);
    return;
  }
  char* end = nullptr;
  const double v = text.empty() ? NAN : std::strtod(text.c_str(), &end);
  const bool parsed = !text.empty() && end && *end == '\0';
  if (!parsed || (kind == FieldKind::Integer && (v != std::floor(v) || !std::isfinite(v)))) {
    throw ConfigError(field + " must be " + (kind == FieldKind::Integer ? "an integer" : "a number") + " (got \"" +
                      text.substr(0, 40) + "\")");
  }
  if (kind == FieldKind::Integer && !(v >= min && v <= max)) {  // before the cast to the member's type
    throw ConfigError(not_in_integer_range(field, min, max, text.substr(0, 40)));
  }
  set(c, v);
  check(c, style);
}

template <typename Target>
std::string Field<Target>::to_text(const Target& c) const {
  if (kind == FieldKind::Choice) return name_of(c);
  const double v = get(c);
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
          "How to sample (ddpm takes all T steps; dpm-solver is DPM-Solver++ 2M: DDIM with a second-order step)",
          InModelFile::No,
          sampler_names, [](const SampleOptions& o) { return to_string(o.sampler); },
          [](SampleOptions& o, const std::string& n) { o.sampler = parse_sampler(n); }),
      choice<SampleOptions>(
          "denoiser", "denoiser", "--denoiser",
          "What predicts the noise: the trained network, or the ideal denoiser of the training data "
          "(the exact posterior mean; it reproduces training points)",
          InModelFile::No, denoiser_names, [](const SampleOptions& o) { return to_string(o.denoiser); },
          [](SampleOptions& o, const std::string& n) { o.denoiser = parse_denoiser(n); }),
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
      integer<SampleOptions>("class_label", "classLabel", nullptr,
                             "A conditional model: the class to draw, 0..K-1 (-1: all, in the data's proportions)",
                             SampleOptions::kAllClasses, Limits::kMaxClasses - 1, InModelFile::No,
                             get_option<&SampleOptions::class_label>, set_option<&SampleOptions::class_label>),
      real<SampleOptions>("guidance", "guidance", "--guidance",
                          "A conditional model: guidance scale w (0: unconditional, 1: conditional, > 1: guided)", 0,
                          false, Limits::kMaxGuidance, InModelFile::No, get_option<&SampleOptions::guidance>,
                          set_option<&SampleOptions::guidance>),
  };
  return fields;
}

void check_sample_options(const SampleOptions& options, NameStyle style) {
  for (const SampleOptionField& f : sample_option_fields()) f.check(options, style);
}

}  // namespace tinydiff
