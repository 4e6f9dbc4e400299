// The objects the bindings return: core's results as plain JS objects
// (names in camelCase, arrays as typed-array copies), and core's tables and
// limits for the page. bindings.cpp declares what is exposed; this is what
// comes back.
#pragma once

#include <emscripten/val.h>

#include <vector>

#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/memorisation.hpp"
#include "tinydiff/reflow.hpp"
#include "tinydiff/metrics.hpp"
#include "tinydiff/sampler_sweep.hpp"
#include "tinydiff/schedule.hpp"

namespace tinydiff::js {

using emscripten::val;

// {frames, predictedData, timesteps, times, labels}
val reverse_process_to_js(const Diffusion::ReverseProcess& run);
// {frames, labels}
val forward_process_to_js(const std::vector<float>& frames, const std::vector<int>& labels);
// [{sampler, denoiser, steps, chamfer, memorised, msPerSample}]
val sweep_rows_to_js(const std::vector<SweepRow>& rows);
// {chamfer, sampleToData, dataToSample, precision, coverage}
val quality_to_js(const QualityScore& q);
// {copyShare, baseRate, excess, testDistance, trainDistance}
val memorisation_to_js(const MemorisationScore& m);
// {tauGen, tauFall, tauMem}: steps, null where -1 (not reached).
val memorisation_times_to_js(int64_t tau_gen, int64_t tau_fall, int64_t tau_mem);
// {xy, labels}
val point_set_to_js(const PointSet& points);
// {noise, xy, labels}: Float32Array, Float32Array, Int32Array (empty without classes).
val reflow_pairs_to_js(const ReflowPairs& pairs);
// {betas, alphasCumprod}
val schedule_to_js(const NoiseSchedule& schedule);
// Core's sampler table (tinydiff/sampler_facts.hpp): [{name, title, summary,
// objective, predicts, takesSteps, takesEta, takesClipX0, callsPerStep,
// bestInFewSteps}], in the table's order.
val sampler_table_js();
// The limits and radii the page states or checks: {maxModelFileBytes,
// qualityRadius, memorisedRadius, maxSamples, maxFrameFloats}.
val limits_js();
// An array of strings.
val strings_to_js(const std::vector<std::string>& strings);

}  // namespace tinydiff::js
