// Conversions between JS values and core types for the bindings: checked
// numbers, strings and point arrays, the model config (walking core's field
// table, so JS names and messages come from it), and copies out of wasm
// memory. bindings.cpp declares what is exposed; this is how values cross.
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tinydiff/config.hpp"
#include "tinydiff/diffusion.hpp"

namespace tinydiff::js {

using emscripten::val;

std::string type_of(const val& v);
double number_arg(const val& v, const std::string& name);
long long integer_arg(const val& v, const std::string& name, double lo, double hi);
std::string string_arg(const val& v, const std::string& name);
uint64_t seed_arg(const val& v);  // undefined: 0

// {hiddenSize, ...}: every field of core's table by its camelCase name;
// missing (or undefined) ones take the defaults, unknown ones throw. Validated.
DiffusionConfig config_from_js(const val& js);
val config_to_js(const DiffusionConfig& c);
// {sampler, steps, eta, clipX0}: core's sampling-option table by camelCase
// name; missing ones take the defaults, unknown ones throw. Range-checked
// (that steps fit the model's T is checked when sampling).
SampleOptions sample_options_from_js(const val& js);
// {denoiser}: what lossByTimestep measures (undefined: the network).
Denoiser denoiser_from_js(const val& js);
// {ideal, clipX0, steps}: samplerSweep's options (undefined: the ideal
// denoiser too, no clamp, sweep_step_counts(T, objective)).
struct SweepOptions {
  bool ideal = true;
  double clip_x0 = 0;
  std::vector<int> steps;  // empty: sweep_step_counts(T, objective)
};
SweepOptions sweep_options_from_js(const val& js);
// The table itself, for the page's parity test: [{name, jsName, kind, min,
// max, minExclusive, choices, default}].
val config_fields_js();

// n for an argument counting points or samples: an integer 1..kMaxSamples.
int count_arg(const val& v, const char* name);
// Interleaved points with at least one whole (x, y) pair; `what` names the argument.
std::vector<float> whole_points(const val& xy, const std::string& what);
// Frames of n points over T steps fit in memory: n x 2 x (T + 1) floats at
// most kMaxFrameFloats (256 MB), else ConfigError.
constexpr double kMaxFrameFloats = 64e6;
void check_frame_count(int n, int T);
// A model's time: an integer timestep 0..T-1 (eps) or a number (flow, whose
// range core checks).
double time_arg(const val& t, const Diffusion& model);
// Bytes of a Uint8Array (or any array-like of bytes); anything else throws
// ConfigError(`refusal`), the message for that call.
std::vector<uint8_t> bytes_from_js(const val& bytes, const std::string& refusal);

// A JS-owned copy of wasm memory (a Float32Array, a Uint8Array, ...).
template <typename T>
val copy_to_js(const T* data, size_t n) {
  return val(emscripten::typed_memory_view(n, data)).call<val>("slice");
}
// Up to `max_floats` numbers from a Float32Array (or any array-like).
std::vector<float> floats_from_js(const val& array, const std::string& what, double max_floats);
// Interleaved points from a Float32Array (or any array-like of numbers).
std::vector<float> points_from_js(const val& xy, const char* what);
// Class labels from an Int32Array (or any array-like of integers); a value
// that is not an integer from 0 to 7 throws, naming its index.
std::vector<int> labels_from_js(const val& labels, const char* what);

}  // namespace tinydiff::js
