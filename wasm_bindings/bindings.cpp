// Embind bindings of tinydiff::Diffusion: what is exposed to JS, and
// nothing else. Arguments are converted by js_values.hpp, results built by
// js_results.hpp (both beside this file); policy and the maths are in core/.
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
#include "tinydiff/memorisation.hpp"
#include "tinydiff/metrics.hpp"
#include "tinydiff/model_file.hpp"
#include "tinydiff/reflow.hpp"
#include "tinydiff/flow_density.hpp"
#include "tinydiff/sampler_sweep.hpp"

#include "js_results.hpp"
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
  val heldOut() const { return point_set_to_js(model_->held_out()); }
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
      check_frame_count(count, model_->num_timesteps());
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
      const std::vector<uint8_t> bytes = bytes_from_js(file, "loadModel needs a Uint8Array holding a .safetensors file");
      model_ = load_model_replacing(bytes.data(), bytes.size(), *model_);
      return 0;
    });
  }
  val forwardFrames(val n, val seed) {
    return guarded([&] {
      const int count = count_arg(n, "n");
      check_frame_count(count, model_->num_timesteps());
      const auto frames = model_->forward_frames(count, seed_arg(seed));
      return copy_to_js(frames.data(), frames.size());
    });
  }
  // {frames, labels}: forwardFrames(n, seed) and the class of each point it follows.
  val forwardProcess(val n, val seed) {
    return guarded([&] {
      const int count = count_arg(n, "n");
      check_frame_count(count, model_->num_timesteps());
      std::vector<int> labels;
      const auto frames = model_->forward_frames(count, seed_arg(seed), &labels);
      return forward_process_to_js(frames, labels);
    });
  }
  // What the network predicts at xy, n x 2: the noise (eps models) or the
  // velocity (flow models). options {classLabel, guidance} (a conditional
  // model): the guided prediction for that class (classLabel -1 or none:
  // unconditional).
  val predict(val xy, val t) { return predictWith(xy, t, val::undefined()); }
  val predictWith(val xy, val t, val options) { return prediction(xy, t, options, Denoiser::Network, "predict(xy)"); }
  // The ideal denoiser's prediction over the training data (or a class's
  // points): E[eps | x_t], or E[eps - x0 | x_t] for a flow model.
  val idealPrediction(val xy, val t) { return idealPredictionWith(xy, t, val::undefined()); }
  val idealPredictionWith(val xy, val t, val options) {
    return prediction(xy, t, options, Denoiser::Ideal, "idealPrediction(xy)");
  }
  // log q(x_t) at each point: the exact forward marginal of the training data.
  val marginalLogDensity(val xy, val t) {
    return guarded([&] {
      const std::vector<float> points = whole_points(xy, "marginalLogDensity(xy)");
      const auto out = model_->marginal_log_density(points.data(), int(points.size() / 2), time_arg(t, *model_));
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
  // The same loss on other points (fresh test points): the train / test gap.
  val lossByTimestepOn(val xy, val pointsPerT, val seed) {
    return guarded([&] {
      const int per_t = int(integer_arg(pointsPerT, "pointsPerT", 1, Diffusion::kMaxLossPoints));
      const auto losses = model_->loss_by_timestep_on(points_from_js(xy, "lossByTimestepOn(xy)"), {}, per_t, seed_arg(seed));
      return copy_to_js(losses.data(), losses.size());
    });
  }
  // Reflow: {noise, xy, labels}, n pairs of noise and where options' ODE solve takes it.
  val reflowPairs(val n, val seed, val options) {
    return guarded([&] {
      const ReflowPairs pairs = make_reflow_pairs(*model_, count_arg(n, "n"), seed_arg(seed), sample_options_from_js(options));
      return reflow_pairs_to_js(pairs);
    });
  }
  // Train on fixed pairs from now on (a reflow); labels for a conditional model.
  void setPairs(val xy, val noise) { setPairsWithLabels(xy, noise, val::undefined()); }
  void setPairsWithLabels(val xy, val noise, val labels) {
    guarded([&] {
      std::vector<int> classes;
      if (!labels.isUndefined() && !labels.isNull()) classes = labels_from_js(labels, "setPairs(xy, noise, labels)");
      model_->set_pairs(points_from_js(xy, "setPairs(xy)"), points_from_js(noise, "setPairs(noise)"), std::move(classes));
      return 0;
    });
  }
  bool hasPairs() const { return model_->has_pairs(); }
  // Liu et al.'s straightness of the paths of a flow model: Euler over
  // options.steps (default kStraightnessSteps, 100) with options' denoiser and class.
  double straightness(val n, val seed) { return straightnessWith(n, seed, val::undefined()); }
  double straightnessWith(val n, val seed, val options) {
    return guarded([&] {
      const SampleOptions o = sample_options_from_js(options);
      return model_straightness(*model_, count_arg(n, "n"), seed_arg(seed), o, o.steps > 0 ? o.steps : kStraightnessSteps);
    });
  }
  // log p(x) of an unconditional model at each point (Float64Array), over `steps` RK4 steps (default 100).
  val logDensity(val xy) { return logDensityWith(xy, val::undefined()); }
  val logDensityWith(val xy, val steps) {
    return guarded([&] {
      const auto points = points_from_js(xy, "logDensity(xy)");
      const int k = steps.isUndefined() ? kLogDensitySteps : int(integer_arg(steps, "steps", 1, Limits::kMaxTimesteps));
      const auto log_p = model_->log_density(points.data(), int(points.size() / 2), k);
      return copy_to_js(log_p.data(), log_p.size());
    });
  }
  // {betas, alphasCumprod}: the noise schedule, T values each.
  val schedule() const { return schedule_to_js(model_->schedule()); }
  val reverseProcess(val n, val seed) { return reverseProcessWith(n, seed, val::undefined()); }
  val reverseProcessWith(val n, val seed, val options) {
    return guarded([&] {
      const int count = count_arg(n, "n");
      check_frame_count(count, model_->num_timesteps());
      return reverse_process_to_js(model_->reverse_process(count, seed_arg(seed), sample_options_from_js(options)));
    });
  }
  val samplerSweep(val n, val seed) { return samplerSweepWith(n, seed, val::undefined()); }
  val samplerSweepWith(val n, val seed, val options) {
    return guarded([&] {
      const int count = int(integer_arg(n, "n", 1, 100000));
      const SweepOptions sweep = sweep_options_from_js(options);
      SampleOptions base;
      base.clip_x0 = sweep.clip_x0;
      const auto steps = sweep.steps.empty() ? sweep_step_counts(model_->num_timesteps(), model_->objective()) : sweep.steps;
      return sweep_rows_to_js(sampler_sweep(*model_, count, seed_arg(seed), steps, sweep.ideal, base));
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
  // What `denoiser` predicts at xy and time t, for options {classLabel, guidance}.
  val prediction(const val& xy, const val& t, const val& options, Denoiser denoiser, const char* what) {
    return guarded([&] {
      const std::vector<float> points = whole_points(xy, what);
      SampleOptions o = sample_options_from_js(options);
      o.denoiser = denoiser;
      const auto out = model_->predict_with(points.data(), int(points.size() / 2), time_arg(t, *model_), o);
      return copy_to_js(out.data(), out.size());
    });
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

val preset_names_js() { return strings_to_js(preset_names()); }
val dataset_names_js() { return strings_to_js(dataset_names()); }
val sampler_table() { return sampler_table_js(); }
val limits() { return limits_js(); }

// Symmetric Chamfer distance, precision and coverage (see core/metrics.hpp);
// within kQualityRadius when no radius is given (Embind counts arguments).
val quality_score_js(val samples, val data, val radius) {
  return guarded([&] {
    const auto s = points_from_js(samples, "qualityScore(samples)");
    const auto d = points_from_js(data, "qualityScore(data)");
    const double r = radius.isUndefined() ? kQualityRadius : number_arg(radius, "radius");
    return quality_to_js(quality_score(s.data(), s.size() / 2, d.data(), d.size() / 2, r));
  });
}
val quality_score_default_radius_js(val samples, val data) { return quality_score_js(samples, data, val::undefined()); }

// The share of points that copy a training point, and that share beside its
// base rate (core/memorisation.hpp); the ratio defaults to kCopyRatio.
val copy_share_js(val points, val train, val ratio) {
  return guarded([&] {
    const auto p = points_from_js(points, "copyShare(points)");
    const auto t = points_from_js(train, "copyShare(train)");
    return val(copy_share(p.data(), p.size() / 2, t.data(), t.size() / 2,
                          ratio.isUndefined() ? kCopyRatio : number_arg(ratio, "ratio")));
  });
}
val copy_share_default_js(val points, val train) { return copy_share_js(points, train, val::undefined()); }
val copy_flags_js(val points, val train) {
  return guarded([&] {
    const auto p = points_from_js(points, "copyFlags(points)");
    const auto t = points_from_js(train, "copyFlags(train)");
    const auto flags = copy_flags(p.data(), p.size() / 2, t.data(), t.size() / 2);
    return copy_to_js(flags.data(), flags.size());
  });
}
val training_indices_js(val count, val train_size, val seed) {
  return guarded([&] {
    const auto indices = training_indices(size_t(integer_arg(count, "count", 0, kMaxDatasetSize)),
                                          size_t(integer_arg(train_size, "trainSize", 0, kMaxDatasetSize)), seed_arg(seed));
    return copy_to_js(indices.data(), indices.size());
  });
}
// {tauGen, tauFall, tauMem} (null: not reached) of one model's evaluations:
// {steps, testDistance, excess} (one value a step), untrainedDistance, margin.
val memorisation_times_js(val series) {
  return guarded([&] {
    const auto column = [&](const char* name) {
      const std::vector<float> v = floats_from_js(series[name], std::string("memorisationTimes: ") + name, 1e6);
      return std::vector<double>(v.begin(), v.end());
    };
    const std::vector<double> steps_real = column("steps"), test = column("testDistance"), excess = column("excess");
    if (test.size() != steps_real.size() || excess.size() != steps_real.size()) {
      throw ConfigError("memorisationTimes: steps, testDistance and excess must have one value a step");
    }
    const std::vector<int64_t> steps(steps_real.begin(), steps_real.end());
    const double untrained = number_arg(series["untrainedDistance"], "untrainedDistance");
    const double margin = number_arg(series["margin"], "margin");
    return memorisation_times_to_js(first_near_best(steps, test, 0.1), first_after_fall(steps, test, untrained, 0.9),
                                    first_reaching(steps, excess, margin));
  });
}
// The exact 2-Wasserstein distance (metrics.hpp): the larger set cut to the
// smaller's size by `seed`, both to at most kMaxW2Points.
val wasserstein2_js(val samples, val data, val seed) {
  return guarded([&] {
    const auto s = points_from_js(samples, "wasserstein2(samples)");
    const auto d = points_from_js(data, "wasserstein2(data)");
    return val(wasserstein2(s.data(), s.size() / 2, d.data(), d.size() / 2, seed_arg(seed)));
  });
}
val wasserstein2_default_seed_js(val samples, val data) { return wasserstein2_js(samples, data, val::undefined()); }
val memorisation_score_js(val samples, val train, val fresh) {
  return guarded([&] {
    const auto s = points_from_js(samples, "memorisationScore(samples)");
    const auto t = points_from_js(train, "memorisationScore(train)");
    const auto f = points_from_js(fresh, "memorisationScore(fresh)");
    return memorisation_to_js(memorisation_score(s.data(), s.size() / 2, t.data(), t.size() / 2, f.data(), f.size() / 2));
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
    return point_set_to_js(make_points(string_arg(name, "dataset name"),
                                       int(integer_arg(n, "number of points", 1, kMaxDatasetSize)), seed_arg(seed)));
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
      .function("heldOut", &DiffusionHandle::heldOut)
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
      .function("predict", &DiffusionHandle::predict)
      .function("predict", &DiffusionHandle::predictWith)
      .function("idealPrediction", &DiffusionHandle::idealPrediction)
      .function("idealPrediction", &DiffusionHandle::idealPredictionWith)
      .function("marginalLogDensity", &DiffusionHandle::marginalLogDensity)
      .function("lossByTimestep", &DiffusionHandle::lossByTimestep)
      .function("lossByTimestep", &DiffusionHandle::lossByTimestepWith)
      .function("lossByTimestepOn", &DiffusionHandle::lossByTimestepOn)
      .function("schedule", &DiffusionHandle::schedule)
      .function("reflowPairs", &DiffusionHandle::reflowPairs)
      .function("setPairs", &DiffusionHandle::setPairs)
      .function("setPairs", &DiffusionHandle::setPairsWithLabels)
      .function("hasPairs", &DiffusionHandle::hasPairs)
      .function("logDensity", &DiffusionHandle::logDensity)
      .function("logDensity", &DiffusionHandle::logDensityWith)
      .function("straightness", &DiffusionHandle::straightness)
      .function("straightness", &DiffusionHandle::straightnessWith)
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
  function("samplerTable", &sampler_table);
  function("limits", &limits);
  function("makeDataset", &make_dataset_js);
  function("makePoints", &make_points_js);
  function("qualityScore", &quality_score_js);
  function("qualityScore", &quality_score_default_radius_js);
  function("copyShare", &copy_share_js);
  function("copyShare", &copy_share_default_js);
  function("memorisationScore", &memorisation_score_js);
  function("copyFlags", &copy_flags_js);
  function("wasserstein2", &wasserstein2_js);
  function("wasserstein2", &wasserstein2_default_seed_js);
  function("memorisationTimes", &memorisation_times_js);
  function("trainingIndices", &training_indices_js);
}
