// Embind bindings of tinydiff::Diffusion. They only bind: argument checking
// and conversion between JS values and core types; the maths is in core/.
//
// Copy vs view: every Float32Array a method returns is a copy (made with
// .slice() from a view into wasm memory), safe to keep. The one exception is
// parametersView(), a live view into the model's own parameter buffer: it is
// invalidated by memory growth and by delete().
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/metrics.hpp"
#include "tinydiff/model_file.hpp"

using emscripten::val;
using namespace tinydiff;

namespace {

// core names fields in snake_case; JS callers know the camelCase names.
const std::pair<const char*, const char*> kFieldNames[] = {
    {"hidden_size", "hiddenSize"},         {"hidden_layers", "hiddenLayers"},
    {"embedding_size", "embeddingSize"},   {"time_embedding", "timeEmbedding"},
    {"input_embedding", "inputEmbedding"}, {"input_scale", "inputScale"},
    {"num_timesteps", "numTimesteps"},     {"beta_schedule", "betaSchedule"},
    {"beta_start", "betaStart"},           {"beta_end", "betaEnd"},
    {"batch_size", "batchSize"},           {"learning_rate", "learningRate"},
    {"weight_decay", "weightDecay"},       {"grad_clip", "gradClip"},
    {"ema_decay", "emaDecay"},             {"lr_decay_steps", "lrDecaySteps"},
    {"lr_final_fraction", "lrFinalFraction"},
};

std::string js_message(std::string message) {
  for (const auto& [snake, camel] : kFieldNames) {
    const std::string s = snake;
    for (size_t at = message.find(s); at != std::string::npos; at = message.find(s, at + 1)) {
      const bool word_start = at == 0 || !(std::isalnum((unsigned char)message[at - 1]) || message[at - 1] == '_');
      const size_t end = at + s.size();
      const bool word_end = end >= message.size() || !(std::isalnum((unsigned char)message[end]) || message[end] == '_');
      if (word_start && word_end) message.replace(at, s.size(), camel);
    }
  }
  return message;
}

[[noreturn]] void throw_js_error(const std::string& message) {
  val::global("Error").new_(val(js_message(message))).throw_();
}

// Runs `body`, turning any C++ exception into a JS Error with its message.
template <typename F>
auto guarded(F&& body) -> decltype(body()) {
  std::string message;
  try {
    return body();
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
    message = "unknown error";
  }
  throw_js_error(message);
}

std::string type_of(const val& v) { return v.typeOf().as<std::string>(); }

double number_field(const val& v, const std::string& name) {
  if (type_of(v) != "number") {
    throw ConfigError(name + " must be a number (got " + type_of(v) + ")");
  }
  return v.as<double>();
}

long long integer_field(const val& v, const std::string& name, double lo, double hi) {
  const double d = number_field(v, name);
  if (!std::isfinite(d) || d != std::floor(d) || d < lo || d > hi) {
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%g", d);
    throw ConfigError(name + " must be an integer from " + std::to_string((long long)lo) + " to " +
                      std::to_string((long long)hi) + " (got " + buffer + ")");
  }
  return (long long)d;
}

std::string string_field(const val& v, const std::string& name) {
  if (type_of(v) != "string") throw ConfigError(name + " must be a string (got " + type_of(v) + ")");
  return v.as<std::string>();
}

DiffusionConfig config_from_js(const val& js) {
  DiffusionConfig c;
  if (js.isUndefined() || js.isNull()) return c;
  if (type_of(js) != "object") throw ConfigError("the config must be an object (got " + type_of(js) + ")");
  const val keys = val::global("Object").call<val>("keys", js);
  const int count = keys["length"].as<int>();
  for (int i = 0; i < count; ++i) {
    const std::string key = keys[i].as<std::string>();
    const val v = js[key];
    if (v.isUndefined()) continue;  // "missing ones take the defaults"
    if (key == "hiddenSize") c.model.hidden_size = int(integer_field(v, key, 1, Limits::kMaxHiddenSize));
    else if (key == "hiddenLayers") c.model.hidden_layers = int(integer_field(v, key, 0, Limits::kMaxHiddenLayers));
    else if (key == "embeddingSize") c.model.embedding_size = int(integer_field(v, key, Limits::kMinEmbeddingSize, Limits::kMaxEmbeddingSize));
    else if (key == "timeEmbedding") c.model.time_embedding = parse_time_embedding(string_field(v, key), key);
    else if (key == "inputEmbedding") c.model.input_embedding = parse_input_embedding(string_field(v, key), key);
    else if (key == "inputScale") c.model.input_scale = float(number_field(v, key));
    else if (key == "numTimesteps") c.schedule.num_timesteps = int(integer_field(v, key, 1, Limits::kMaxTimesteps));
    else if (key == "betaSchedule") c.schedule.beta_schedule = parse_beta_schedule(string_field(v, key), key);
    else if (key == "betaStart") c.schedule.beta_start = number_field(v, key);
    else if (key == "betaEnd") c.schedule.beta_end = number_field(v, key);
    else if (key == "learningRate") c.train.learning_rate = number_field(v, key);
    else if (key == "batchSize") c.train.batch_size = int(integer_field(v, key, 1, Limits::kMaxBatchSize));
    else if (key == "weightDecay") c.train.weight_decay = number_field(v, key);
    else if (key == "gradClip") c.train.grad_clip = number_field(v, key);
    else if (key == "seed") c.train.seed = uint64_t(integer_field(v, key, 0, 9007199254740991.0));
    else if (key == "emaDecay") c.train.ema_decay = number_field(v, key);
    else if (key == "lrDecaySteps") c.train.lr_decay_steps = integer_field(v, key, 0, 1e12);
    else if (key == "lrFinalFraction") c.train.lr_final_fraction = number_field(v, key);
    else {
      throw ConfigError("unknown config field \"" + key +
                        "\" (known: hiddenSize, hiddenLayers, embeddingSize, timeEmbedding, "
                        "inputEmbedding, inputScale, numTimesteps, betaSchedule, betaStart, betaEnd, "
                        "learningRate, batchSize, weightDecay, gradClip, seed, emaDecay, lrDecaySteps, "
                        "lrFinalFraction)");
    }
  }
  validate(c);
  return c;
}

val config_to_js(const DiffusionConfig& c) {
  val o = val::object();
  o.set("hiddenSize", c.model.hidden_size);
  o.set("hiddenLayers", c.model.hidden_layers);
  o.set("embeddingSize", c.model.embedding_size);
  o.set("timeEmbedding", to_string(c.model.time_embedding));
  o.set("inputEmbedding", to_string(c.model.input_embedding));
  o.set("inputScale", c.model.input_scale);
  o.set("numTimesteps", c.schedule.num_timesteps);
  o.set("betaSchedule", to_string(c.schedule.beta_schedule));
  o.set("betaStart", c.schedule.beta_start);
  o.set("betaEnd", c.schedule.beta_end);
  o.set("learningRate", c.train.learning_rate);
  o.set("batchSize", c.train.batch_size);
  o.set("weightDecay", c.train.weight_decay);
  o.set("gradClip", c.train.grad_clip);
  o.set("seed", double(c.train.seed));
  o.set("emaDecay", c.train.ema_decay);
  o.set("lrDecaySteps", double(c.train.lr_decay_steps));
  o.set("lrFinalFraction", c.train.lr_final_fraction);
  return o;
}

// A copy of wasm memory as a JS-owned Float32Array.
val copy_to_js(const float* data, size_t n) {
  return val(emscripten::typed_memory_view(n, data)).call<val>("slice");
}

// Interleaved points from a Float32Array (or any array-like of numbers).
std::vector<float> points_from_js(const val& xy, const char* what) {
  if (xy.isUndefined() || xy.isNull() || (type_of(xy) != "object")) {
    throw ConfigError(std::string(what) + " must be a Float32Array of interleaved x, y");
  }
  const val length_value = xy["length"];
  if (type_of(length_value) != "number") {
    throw ConfigError(std::string(what) + " must be a Float32Array of interleaved x, y");
  }
  const double length = length_value.as<double>();
  if (length > 2.0 * kMaxDatasetSize) {
    throw ConfigError(std::string(what) + " has too many points (at most " +
                      std::to_string(kMaxDatasetSize) + ")");
  }
  std::vector<float> out(static_cast<size_t>(length));
  // Copy through a view of our buffer (created after the allocation, so no
  // memory growth can detach it before set()).
  val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", xy);
  return out;
}

int count_arg(const val& v, const char* name) {
  return int(integer_field(v, name, 1, Diffusion::kMaxSamples));
}

// {sampler: "ddpm"|"ddim"|"dpm-solver", steps, eta}; missing fields take the defaults.
SampleOptions sample_options(const val& js) {
  SampleOptions o;
  if (js.isUndefined() || js.isNull()) return o;
  if (type_of(js) != "object") throw ConfigError("sampling options must be an object (got " + type_of(js) + ")");
  const val keys = val::global("Object").call<val>("keys", js);
  for (int i = 0; i < keys["length"].as<int>(); ++i) {
    const std::string key = keys[i].as<std::string>();
    const val v = js[key];
    if (v.isUndefined()) continue;
    if (key == "sampler") o.sampler = parse_sampler(string_field(v, key), key);
    else if (key == "steps") o.steps = int(integer_field(v, key, 0, Limits::kMaxTimesteps));
    else if (key == "eta") o.eta = number_field(v, key);
    else throw ConfigError("unknown sampling option \"" + key + "\" (known: sampler, steps, eta)");
  }
  return o;
}

uint64_t seed_arg(const val& v) {
  if (v.isUndefined()) return 0;
  return uint64_t(integer_field(v, "seed", 0, 9007199254740991.0));
}

class DiffusionHandle {
 public:
  DiffusionHandle() : DiffusionHandle(val::undefined()) {}
  explicit DiffusionHandle(val config) {
    guarded([&] {
      model_ = std::make_unique<Diffusion>(config_from_js(config));
      return 0;
    });
  }

  val config() const { return config_to_js(model_->config()); }

  void setData(val xy) {
    guarded([&] {
      std::vector<float> points = points_from_js(xy, "setData(xy)");
      check_points(points);
      model_->set_data(std::move(points));
      return 0;
    });
  }
  void setDataset(val name, val n, val seed) {
    guarded([&] {
      const std::string dataset = string_field(name, "dataset name");
      const int count = n.isUndefined() ? kDefaultDatasetSize : int(integer_field(n, "number of points", 1, kMaxDatasetSize));
      model_->set_data(make_dataset(dataset, count, seed_arg(seed)));
      return 0;
    });
  }
  val data() const { return copy_to_js(model_->data().data(), model_->data().size()); }
  int numPoints() const { return int(model_->num_points()); }

  double step() {
    return guarded([&] { return double(model_->step()); });
  }
  double train(val steps) {
    return guarded([&] {
      return model_->train(integer_field(steps, "steps", 1, 1e9));
    });
  }
  double stepCount() const { return double(model_->step_count()); }
  double epoch() const { return double(model_->epoch()); }
  double stepsPerEpoch() const { return double(model_->steps_per_epoch()); }
  int batchSize() const { return model_->effective_batch_size(); }
  bool diverged() const { return model_->diverged(); }
  int numTimesteps() const { return model_->num_timesteps(); }
  int numParameters() const { return int(model_->parameters().size()); }

  val sample(val n, val seed) { return sampleWith(n, seed, val::undefined()); }
  val sampleWith(val n, val seed, val options) {
    return guarded([&] {
      const auto xy = model_->sample(count_arg(n, "n"), seed_arg(seed), nullptr, sample_options(options));
      return copy_to_js(xy.data(), xy.size());
    });
  }
  val sampleFrames(val n, val seed) { return sampleFramesWith(n, seed, val::undefined()); }
  val sampleFramesWith(val n, val seed, val options) {
    return guarded([&] {
      const int count = count_arg(n, "n");
      check_frames(count);
      std::vector<float> frames;
      model_->sample(count, seed_arg(seed), &frames, sample_options(options));
      return copy_to_js(frames.data(), frames.size());
    });
  }
  // The model as a safetensors file (a copy).
  val saveModel() const {
    const auto bytes = save_safetensors(*model_);
    return val(emscripten::typed_memory_view(bytes.size(), bytes.data())).call<val>("slice");
  }
  // Replaces the weights and configuration with a file's; keeps the data.
  // A bad file throws and leaves the current model as it was.
  void loadModel(val file) {
    guarded([&] {
      if (file.isUndefined() || file.isNull() || type_of(file) != "object" || type_of(file["length"]) != "number") {
        throw ConfigError("loadModel needs a Uint8Array holding a .safetensors file");
      }
      const double length = file["length"].as<double>();
      if (length > 512.0 * 1024 * 1024) throw ConfigError("the model file is larger than 512 MB");
      std::vector<uint8_t> bytes(static_cast<size_t>(length));
      val(emscripten::typed_memory_view(bytes.size(), bytes.data())).call<void>("set", file);
      auto next = make_model(parse_safetensors(bytes.data(), bytes.size(), model_->config()));
      if (!model_->data().empty()) next->set_data(model_->data());
      model_ = std::move(next);
      return 0;
    });
  }
  val forwardFrames(val n, val seed) {
    return guarded([&] {
      const int count = count_arg(n, "n");
      check_frames(count);
      const auto frames = model_->forward_frames(count, seed_arg(seed));
      return copy_to_js(frames.data(), frames.size());
    });
  }
  val predictNoise(val xy, val t) {
    return guarded([&] {
      const std::vector<float> points = points_from_js(xy, "predictNoise(xy)");
      if (points.empty() || points.size() % 2) {
        throw ConfigError("predictNoise(xy) needs at least one whole (x, y) pair");
      }
      const int timestep = int(integer_field(t, "t", 0, model_->num_timesteps() - 1));
      const auto eps = model_->predict_noise(points.data(), int(points.size() / 2), timestep);
      return copy_to_js(eps.data(), eps.size());
    });
  }
  // A live view (no copy) of the parameters, in the reference's state_dict
  // order. Invalid after memory growth or delete(): read it at once.
  val parametersView() {
    return val(emscripten::typed_memory_view(model_->parameters().size(), model_->parameters().data()));
  }

 private:
  void check_frames(int n) const {
    const double floats = double(n) * 2.0 * double(model_->num_timesteps() + 1);
    if (floats > 64e6) {
      throw ConfigError("too many frames: n x (T + 1) points would exceed 32 million (n = " +
                        std::to_string(n) + ", T = " + std::to_string(model_->num_timesteps()) + ")");
    }
  }

  std::unique_ptr<Diffusion> model_;
};

val default_config() { return config_to_js(DiffusionConfig()); }

val preset_config_js(val name, val planned_steps) {
  return guarded([&] {
    return config_to_js(preset_config(string_field(name, "preset"),
                                      integer_field(planned_steps, "plannedSteps", 0, 1e12)));
  });
}

val preset_names_js() {
  val out = val::array();
  for (const auto& name : preset_names()) out.call<void>("push", val(name));
  return out;
}

val dataset_names_js() {
  val out = val::array();
  for (const auto& name : dataset_names()) out.call<void>("push", name);
  return out;
}

// Symmetric Chamfer distance, precision and coverage (see core/metrics.hpp).
val quality_score_js(val samples, val data, val radius) {
  return guarded([&] {
    const auto s = points_from_js(samples, "qualityScore(samples)");
    const auto d = points_from_js(data, "qualityScore(data)");
    const double r = radius.isUndefined() ? 0.1 : number_field(radius, "radius");
    const QualityScore q = quality_score(s.data(), s.size() / 2, d.data(), d.size() / 2, r);
    val o = val::object();
    o.set("chamfer", q.chamfer);
    o.set("sampleToData", q.sample_to_data);
    o.set("dataToSample", q.data_to_sample);
    o.set("precision", q.precision);
    o.set("coverage", q.coverage);
    return o;
  });
}

val make_dataset_js(val name, val n, val seed) {
  return guarded([&] {
    const auto xy = make_dataset(string_field(name, "dataset name"),
                                 int(integer_field(n, "number of points", 1, kMaxDatasetSize)), seed_arg(seed));
    return copy_to_js(xy.data(), xy.size());
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(tinydiff) {
  using namespace emscripten;
  class_<DiffusionHandle>("Diffusion")
      .constructor<>()
      .constructor<val>()
      .function("config", &DiffusionHandle::config)
      .function("setData", &DiffusionHandle::setData)
      .function("setDataset", &DiffusionHandle::setDataset)
      .function("data", &DiffusionHandle::data)
      .function("numPoints", &DiffusionHandle::numPoints)
      .function("step", &DiffusionHandle::step)
      .function("train", &DiffusionHandle::train)
      .function("stepCount", &DiffusionHandle::stepCount)
      .function("epoch", &DiffusionHandle::epoch)
      .function("stepsPerEpoch", &DiffusionHandle::stepsPerEpoch)
      .function("batchSize", &DiffusionHandle::batchSize)
      .function("diverged", &DiffusionHandle::diverged)
      .function("numTimesteps", &DiffusionHandle::numTimesteps)
      .function("numParameters", &DiffusionHandle::numParameters)
      .function("sample", &DiffusionHandle::sample)
      .function("sample", &DiffusionHandle::sampleWith)
      .function("sampleFrames", &DiffusionHandle::sampleFrames)
      .function("sampleFrames", &DiffusionHandle::sampleFramesWith)
      .function("saveModel", &DiffusionHandle::saveModel)
      .function("loadModel", &DiffusionHandle::loadModel)
      .function("forwardFrames", &DiffusionHandle::forwardFrames)
      .function("predictNoise", &DiffusionHandle::predictNoise)
      .function("parametersView", &DiffusionHandle::parametersView);
  function("defaultConfig", &default_config);
  function("presetConfig", &preset_config_js);
  function("presetNames", &preset_names_js);
  function("datasetNames", &dataset_names_js);
  function("makeDataset", &make_dataset_js);
  function("qualityScore", &quality_score_js);
}
