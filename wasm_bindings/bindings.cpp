// Embind bindings of tinydiff::Diffusion: what is exposed to JS. Value
// conversion lives beside this file (js_values.hpp); the maths is in core/.
//
// Copy vs view: every Float32Array a method returns is a copy (made with
// .slice() from a view into wasm memory), safe to keep. The one exception is
// parametersView(), a live view into the model's own parameter buffer: it is
// invalidated by memory growth and by delete().
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tinydiff/config_fields.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/metrics.hpp"
#include "tinydiff/model_file.hpp"
#include "tinydiff/sampler_sweep.hpp"

#include "js_values.hpp"

using emscripten::val;
using namespace tinydiff;
using namespace tinydiff::js;

namespace {

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
  val::global("Error").new_(val(message)).throw_();
}

int count_arg(const val& v, const char* name) { return int(integer_arg(v, name, 1, Diffusion::kMaxSamples)); }

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

  void setData(val xy) { setDataWithLabels(xy, val::undefined()); }
  // labels: one class 0..numClasses-1 per point (a conditional model needs them).
  void setDataWithLabels(val xy, val labels) {
    guarded([&] {
      std::vector<float> points = points_from_js(xy, "setData(xy)");
      check_points(points);
      std::vector<int> classes;
      if (!labels.isUndefined() && !labels.isNull()) classes = labels_from_js(labels, "setData(xy, labels)");
      model_->set_data(std::move(points), std::move(classes));
      return 0;
    });
  }
  // A preset; its labels (two_moons, dino_in_circle) only if the model has classes.
  void setDataset(val name, val n, val seed) {
    guarded([&] {
      const std::string dataset = string_arg(name, "dataset name");
      const int count = n.isUndefined() ? kDefaultDatasetSize : int(integer_arg(n, "number of points", 1, kMaxDatasetSize));
      model_->set_points(make_points(dataset, count, seed_arg(seed)));
      return 0;
    });
  }
  val data() const { return copy_to_js(model_->data().data(), model_->data().size()); }
  val labels() const { return copy_to_js(model_->labels().data(), model_->labels().size()); }
  int numClasses() const { return model_->num_classes(); }
  val classProportions() const {
    const std::vector<float> p(model_->class_proportions().begin(), model_->class_proportions().end());
    return copy_to_js(p.data(), p.size());
  }
  int numPoints() const { return int(model_->num_points()); }

  double step() {
    return guarded([&] { return double(model_->step()); });
  }
  // The threaded build (tinydiff-threads.js) runs up to 1 + its pool of
  // workers; the single-threaded one stays at 1 whatever is asked.
  void setThreads(val n) {
    guarded([&] {
      model_->set_threads(integer_arg(n, "threads", 1, Diffusion::kMaxThreads));
      return 0;
    });
  }
  int threads() const { return model_->threads(); }
  double train(val steps) {
    return guarded([&] {
      return model_->train(integer_arg(steps, "steps", 1, 1e9));
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
      const auto xy = model_->sample(count_arg(n, "n"), seed_arg(seed), nullptr, sample_options_from_js(options));
      return copy_to_js(xy.data(), xy.size());
    });
  }
  // The class of each of the n samples sample(n, seed, options) draws (an
  // Int32Array; empty for an unconditional model).
  val sampleClasses(val n, val seed) { return sampleClassesWith(n, seed, val::undefined()); }
  val sampleClassesWith(val n, val seed, val options) {
    return guarded([&] {
      const auto labels = model_->sample_classes(sample_options_from_js(options), count_arg(n, "n"), seed_arg(seed));
      return copy_to_js(labels.data(), labels.size());
    });
  }
  val sampleFrames(val n, val seed) { return sampleFramesWith(n, seed, val::undefined()); }
  val sampleFramesWith(val n, val seed, val options) {
    return guarded([&] {
      const int count = count_arg(n, "n");
      check_frames(count);
      std::vector<float> frames;
      model_->sample(count, seed_arg(seed), &frames, sample_options_from_js(options));
      return copy_to_js(frames.data(), frames.size());
    });
  }
  // The model as a safetensors file (a copy).
  val saveModel() const {
    const auto bytes = save_safetensors(*model_);
    return copy_to_js(bytes.data(), bytes.size());
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
      // The data stays when it fits the new model's classes (its labels only for a conditional one).
      if (!model_->data().empty()) {
        try {
          next->set_points({model_->data(), model_->labels()});
        } catch (const ConfigError&) {
        }
      }
      next->set_threads(model_->threads());
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
  // {frames, labels}: forwardFrames(n, seed) and the class of each point it follows.
  val forwardProcess(val n, val seed) {
    return guarded([&] {
      const int count = count_arg(n, "n");
      check_frames(count);
      std::vector<int> labels;
      const auto frames = model_->forward_frames(count, seed_arg(seed), &labels);
      val o = val::object();
      o.set("frames", copy_to_js(frames.data(), frames.size()));
      o.set("labels", copy_to_js(labels.data(), labels.size()));
      return o;
    });
  }
  val predictNoise(val xy, val t) { return predictNoiseWith(xy, t, val::undefined()); }
  // options {classLabel, guidance} (a conditional model): the guided
  // prediction for that class (classLabel -1 or none: unconditional).
  val predictNoiseWith(val xy, val t, val options) { return prediction(xy, t, options, Denoiser::Network, "predictNoise(xy)"); }
  // The ideal denoiser's E[eps | x_t] over the training data (or a class's points), n x 2.
  val idealNoise(val xy, val t) { return idealNoiseWith(xy, t, val::undefined()); }
  val idealNoiseWith(val xy, val t, val options) { return prediction(xy, t, options, Denoiser::Ideal, "idealNoise(xy)"); }
  // log q(x_t) at each point: the exact forward marginal of the training data.
  val marginalLogDensity(val xy, val t) {
    return guarded([&] {
      const std::vector<float> points = whole_points(xy, "marginalLogDensity(xy)");
      const auto out = model_->marginal_log_density(points.data(), int(points.size() / 2), time_arg(t));
      return copy_to_js(out.data(), out.size());
    });
  }
  val lossByTimestep(val pointsPerT, val seed) { return lossByTimestepWith(pointsPerT, seed, val::undefined()); }
  val lossByTimestepWith(val pointsPerT, val seed, val options) {
    return guarded([&] {
      const int per_t = int(integer_arg(pointsPerT, "pointsPerT", 1, Diffusion::kMaxLossPoints));
      const auto losses = model_->loss_by_timestep(per_t, seed_arg(seed), denoiser_from_js(options));
      return copy_to_js(losses.data(), losses.size());
    });
  }
  // {betas, alphasCumprod}: the noise schedule, T values each.
  val schedule() const {
    val o = val::object();
    const NoiseSchedule& s = model_->schedule();
    o.set("betas", copy_to_js(s.betas.data(), s.betas.size()));
    o.set("alphasCumprod", copy_to_js(s.alphas_cumprod.data(), s.alphas_cumprod.size()));
    return o;
  }
  val reverseProcess(val n, val seed) { return reverseProcessWith(n, seed, val::undefined()); }
  val reverseProcessWith(val n, val seed, val options) {
    return guarded([&] {
      const int count = count_arg(n, "n");
      check_frames(count);
      const auto run = model_->reverse_process(count, seed_arg(seed), sample_options_from_js(options));
      val o = val::object();
      o.set("frames", copy_to_js(run.frames.data(), run.frames.size()));
      o.set("predictedData", copy_to_js(run.predicted_x0.data(), run.predicted_x0.size()));
      o.set("timesteps", copy_to_js(run.timesteps.data(), run.timesteps.size()));
      const std::vector<float> times(run.times.begin(), run.times.end());
      o.set("times", copy_to_js(times.data(), times.size()));
      o.set("labels", copy_to_js(run.labels.data(), run.labels.size()));
      return o;
    });
  }
  val samplerSweep(val n, val seed) { return samplerSweepWith(n, seed, val::undefined()); }
  val samplerSweepWith(val n, val seed, val options) {
    return guarded([&] {
      const int count = int(integer_arg(n, "n", 1, 100000));
      const SweepOptions sweep = sweep_options_from_js(options);
      SampleOptions base;
      base.clip_x0 = sweep.clip_x0;
      const auto steps = sweep.steps.empty() ? sweep_step_counts(model_->num_timesteps()) : sweep.steps;
      val rows = val::array();
      for (const SweepRow& r : sampler_sweep(*model_, count, seed_arg(seed), steps, sweep.ideal, base)) {
        val row = val::object();
        row.set("sampler", to_string(r.sampler));
        row.set("denoiser", to_string(r.denoiser));
        row.set("steps", r.steps);
        row.set("chamfer", r.chamfer);
        row.set("memorised", r.memorised);
        row.set("msPerSample", 1000 * r.seconds_per_sample);
        rows.call<void>("push", row);
      }
      return rows;
    });
  }
  // A copy of the weights that sample (the moving average when one is
  // kept): what a second model needs to draw the same samples.
  val modelParameters() const {
    return copy_to_js(model_->model_parameters().data(), model_->model_parameters().size());
  }
  // Replaces the trained weights with a copy of `params` (numParameters()
  // floats, as modelParameters() gives) and restarts any moving average.
  void setParameters(val params) {
    guarded([&] {
      const std::vector<float> p = floats_from_js(params, "setParameters(params)", 1e9);
      if (p.size() != model_->parameters().size()) {
        throw ConfigError("setParameters(params) needs " + std::to_string(model_->parameters().size()) +
                          " floats (got " + std::to_string(p.size()) + ")");
      }
      model_->set_parameters(p.data(), p.size());
      return 0;
    });
  }
  // A live view (no copy) of the parameters, in the reference's state_dict
  // order. Invalid after memory growth or delete(): read it at once.
  val parametersView() {
    return val(emscripten::typed_memory_view(model_->parameters().size(), model_->parameters().data()));
  }

 private:
  // What `denoiser` predicts at xy and time t; for a class of a conditional
  // model (options.classLabel >= 0) guided by options.guidance.
  val prediction(const val& xy, const val& t, const val& options, Denoiser denoiser, const char* what) {
    return guarded([&] {
      const std::vector<float> points = whole_points(xy, what);
      const int n = int(points.size() / 2);
      const double time = time_arg(t);
      SampleOptions o = sample_options_from_js(options);
      if (o.class_label >= 0) {
        const std::vector<int> labels(static_cast<size_t>(n), o.class_label);
        SampleOptions check = o;
        model_->sampling_steps(check);  // a class this model has
        const auto out = model_->predict_guided(points.data(), labels.data(), n, time, o.guidance, denoiser);
        return copy_to_js(out.data(), out.size());
      }
      const auto out = denoiser == Denoiser::Ideal ? model_->ideal_prediction(points.data(), n, time)
                                                   : model_->predict(points.data(), n, time);
      return copy_to_js(out.data(), out.size());
    });
  }
  // An integer timestep 0..T-1 (eps) or a time in [0, 1] (flow): core checks which.
  double time_arg(const val& t) const {
    if (model_->objective() == Objective::Flow) return number_arg(t, "t");
    return double(integer_arg(t, "t", 0, model_->num_timesteps() - 1));
  }
  static std::vector<float> whole_points(const val& xy, const std::string& what) {
    std::vector<float> points = points_from_js(xy, what.c_str());
    if (points.empty() || points.size() % 2) throw ConfigError(what + " needs at least one whole (x, y) pair");
    return points;
  }
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
    return config_to_js(preset_config(string_arg(name, "preset"),
                                      integer_arg(planned_steps, "plannedSteps", 0, 1e12)));
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
val quality_score_js(val samples, val data, val radius);
// qualityScore(samples, data): within 0.1, as core's default (Embind counts arguments).
val quality_score_default_radius_js(val samples, val data) { return quality_score_js(samples, data, val::undefined()); }

val quality_score_js(val samples, val data, val radius) {
  return guarded([&] {
    const auto s = points_from_js(samples, "qualityScore(samples)");
    const auto d = points_from_js(data, "qualityScore(data)");
    const double r = radius.isUndefined() ? 0.1 : number_arg(radius, "radius");
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
    const auto xy = make_dataset(string_arg(name, "dataset name"),
                                 int(integer_arg(n, "number of points", 1, kMaxDatasetSize)), seed_arg(seed));
    return copy_to_js(xy.data(), xy.size());
  });
}

// {xy, labels}: a preset with its labels (an empty Int32Array when it has none).
val make_points_js(val name, val n, val seed) {
  return guarded([&] {
    const PointSet p = make_points(string_arg(name, "dataset name"),
                                   int(integer_arg(n, "number of points", 1, kMaxDatasetSize)), seed_arg(seed));
    val o = val::object();
    o.set("xy", copy_to_js(p.xy.data(), p.xy.size()));
    o.set("labels", copy_to_js(p.labels.data(), p.labels.size()));
    return o;
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
      .function("setData", &DiffusionHandle::setDataWithLabels)
      .function("labels", &DiffusionHandle::labels)
      .function("numClasses", &DiffusionHandle::numClasses)
      .function("classProportions", &DiffusionHandle::classProportions)
      .function("sampleClasses", &DiffusionHandle::sampleClasses)
      .function("sampleClasses", &DiffusionHandle::sampleClassesWith)
      .function("setDataset", &DiffusionHandle::setDataset)
      .function("data", &DiffusionHandle::data)
      .function("numPoints", &DiffusionHandle::numPoints)
      .function("step", &DiffusionHandle::step)
      .function("train", &DiffusionHandle::train)
      .function("setThreads", &DiffusionHandle::setThreads)
      .function("threads", &DiffusionHandle::threads)
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
      .function("forwardProcess", &DiffusionHandle::forwardProcess)
      .function("predictNoise", &DiffusionHandle::predictNoise)
      .function("predictNoise", &DiffusionHandle::predictNoiseWith)
      .function("idealNoise", &DiffusionHandle::idealNoise)
      .function("idealNoise", &DiffusionHandle::idealNoiseWith)
      .function("marginalLogDensity", &DiffusionHandle::marginalLogDensity)
      .function("lossByTimestep", &DiffusionHandle::lossByTimestep)
      .function("lossByTimestep", &DiffusionHandle::lossByTimestepWith)
      .function("schedule", &DiffusionHandle::schedule)
      .function("reverseProcess", &DiffusionHandle::reverseProcess)
      .function("reverseProcess", &DiffusionHandle::reverseProcessWith)
      .function("samplerSweep", &DiffusionHandle::samplerSweep)
      .function("samplerSweep", &DiffusionHandle::samplerSweepWith)
      .function("modelParameters", &DiffusionHandle::modelParameters)
      .function("setParameters", &DiffusionHandle::setParameters)
      .function("parametersView", &DiffusionHandle::parametersView);
  function("defaultConfig", &default_config);
  function("configFields", &config_fields_js);
  function("presetConfig", &preset_config_js);
  function("presetNames", &preset_names_js);
  function("datasetNames", &dataset_names_js);
  function("makeDataset", &make_dataset_js);
  function("makePoints", &make_points_js);
  function("qualityScore", &quality_score_js);
  function("qualityScore", &quality_score_default_radius_js);
}
