#include "js_results.hpp"

#include "js_values.hpp"
#include "tinydiff/model_file.hpp"
#include "tinydiff/sampler_facts.hpp"

namespace tinydiff::js {

val reverse_process_to_js(const Diffusion::ReverseProcess& run) {
  val o = val::object();
  o.set("frames", copy_to_js(run.frames.data(), run.frames.size()));
  o.set("predictedData", copy_to_js(run.predicted_x0.data(), run.predicted_x0.size()));
  o.set("timesteps", copy_to_js(run.timesteps.data(), run.timesteps.size()));
  const std::vector<float> times(run.times.begin(), run.times.end());
  o.set("times", copy_to_js(times.data(), times.size()));
  o.set("labels", copy_to_js(run.labels.data(), run.labels.size()));
  return o;
}

val forward_process_to_js(const std::vector<float>& frames, const std::vector<int>& labels) {
  val o = val::object();
  o.set("frames", copy_to_js(frames.data(), frames.size()));
  o.set("labels", copy_to_js(labels.data(), labels.size()));
  return o;
}

val sweep_rows_to_js(const std::vector<SweepRow>& rows) {
  val out = val::array();
  for (const SweepRow& r : rows) {
    val row = val::object();
    row.set("sampler", to_string(r.sampler));
    row.set("denoiser", to_string(r.denoiser));
    row.set("steps", r.steps);
    row.set("chamfer", r.chamfer);
    row.set("w2", r.w2);
    row.set("memorised", r.memorised);
    row.set("msPerSample", 1000 * r.seconds_per_sample);
    out.call<void>("push", row);
  }
  return out;
}

val quality_to_js(const QualityScore& q) {
  val o = val::object();
  o.set("chamfer", q.chamfer);
  o.set("sampleToData", q.sample_to_data);
  o.set("dataToSample", q.data_to_sample);
  o.set("precision", q.precision);
  o.set("coverage", q.coverage);
  return o;
}

val memorisation_to_js(const MemorisationScore& m) {
  val o = val::object();
  o.set("copyShare", m.copy_share);
  o.set("baseRate", m.base_rate);
  o.set("excess", m.excess);
  o.set("testDistance", m.test_distance);
  o.set("trainDistance", m.train_distance);
  return o;
}

val memorisation_times_to_js(int64_t tau_gen, int64_t tau_fall, int64_t tau_mem) {
  const auto step = [](int64_t tau) { return tau < 0 ? val::null() : val(double(tau)); };
  val o = val::object();
  o.set("tauGen", step(tau_gen));
  o.set("tauFall", step(tau_fall));
  o.set("tauMem", step(tau_mem));
  return o;
}

val reflow_pairs_to_js(const ReflowPairs& pairs) {
  val o = val::object();
  o.set("noise", copy_to_js(pairs.noise.data(), pairs.noise.size()));
  o.set("xy", copy_to_js(pairs.xy.data(), pairs.xy.size()));
  o.set("labels", copy_to_js(pairs.labels.data(), pairs.labels.size()));
  return o;
}

val point_set_to_js(const PointSet& points) {
  val o = val::object();
  o.set("xy", copy_to_js(points.xy.data(), points.xy.size()));
  o.set("labels", copy_to_js(points.labels.data(), points.labels.size()));
  return o;
}

val schedule_to_js(const NoiseSchedule& schedule) {
  val o = val::object();
  o.set("betas", copy_to_js(schedule.betas.data(), schedule.betas.size()));
  o.set("alphasCumprod", copy_to_js(schedule.alphas_cumprod.data(), schedule.alphas_cumprod.size()));
  return o;
}

val sampler_table_js() {
  val rows = val::array();
  for (const SamplerFacts& f : sampler_facts()) {
    val row = val::object();
    row.set("name", std::string(f.name));
    row.set("title", std::string(f.title));
    row.set("summary", std::string(f.summary));
    row.set("objective", to_string(f.objective));
    row.set("predicts", std::string(predicted_quantity(f.objective)));
    row.set("takesSteps", f.takes_steps);
    row.set("takesEta", f.takes_eta);
    row.set("takesClipX0", f.takes_clip_x0);
    row.set("callsPerStep", f.calls_per_step);
    row.set("bestInFewSteps", f.best_in_few_steps);
    rows.call<void>("push", row);
  }
  return rows;
}

val limits_js() {
  val o = val::object();
  o.set("maxModelFileBytes", kMaxModelFileBytes);
  o.set("qualityRadius", kQualityRadius);
  o.set("memorisedRadius", kMemorisedRadius);
  o.set("copyRatio", kCopyRatio);
  o.set("maxSamples", Diffusion::kMaxSamples);
  o.set("maxFrameFloats", kMaxFrameFloats);
  return o;
}

val strings_to_js(const std::vector<std::string>& strings) {
  val out = val::array();
  for (const std::string& s : strings) out.call<void>("push", val(s));
  return out;
}

}  // namespace tinydiff::js
