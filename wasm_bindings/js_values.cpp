#include "js_values.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tinydiff/config_fields.hpp"
#include "tinydiff/dataset.hpp"

namespace tinydiff::js {

std::string type_of(const val& v) { return v.typeOf().as<std::string>(); }

double number_arg(const val& v, const std::string& name) {
  if (type_of(v) != "number") throw ConfigError(name + " must be a number (got " + type_of(v) + ")");
  return v.as<double>();
}

long long integer_arg(const val& v, const std::string& name, double lo, double hi) {
  const double d = number_arg(v, name);
  if (!std::isfinite(d) || d != std::floor(d) || d < lo || d > hi) {
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%g", d);
    throw ConfigError(not_in_integer_range(name, lo, hi, buffer));
  }
  return (long long)d;
}

std::string string_arg(const val& v, const std::string& name) {
  if (type_of(v) != "string") throw ConfigError(name + " must be a string (got " + type_of(v) + ")");
  return v.as<std::string>();
}

int count_arg(const val& v, const char* name) { return int(integer_arg(v, name, 1, Diffusion::kMaxSamples)); }

std::vector<float> whole_points(const val& xy, const std::string& what) {
  std::vector<float> points = points_from_js(xy, what.c_str());
  if (points.empty() || points.size() % 2) throw ConfigError(what + " needs at least one whole (x, y) pair");
  return points;
}

void check_frame_count(int n, int T) {
  const double floats = double(n) * 2.0 * double(T + 1);
  if (floats > kMaxFrameFloats) {
    throw ConfigError("too many frames: n x (T + 1) points would exceed " + std::to_string(int(kMaxFrameFloats / 2e6)) +
                      " million (n = " + std::to_string(n) + ", T = " + std::to_string(T) + ")");
  }
}

double time_arg(const val& t, const Diffusion& model) {
  if (model.objective() == Objective::Flow) return number_arg(t, "t");
  return double(integer_arg(t, "t", 0, model.num_timesteps() - 1));
}

std::vector<uint8_t> bytes_from_js(const val& bytes, const std::string& refusal) {
  if (bytes.isUndefined() || bytes.isNull() || type_of(bytes) != "object" || type_of(bytes["length"]) != "number") {
    throw ConfigError(refusal);
  }
  std::vector<uint8_t> out(static_cast<size_t>(bytes["length"].as<double>()));
  val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", bytes);
  return out;
}

uint64_t seed_arg(const val& v) {
  if (v.isUndefined()) return 0;
  const ConfigField& seed = config_field("seed");
  return uint64_t(integer_arg(v, "seed", seed.min, seed.max));
}

namespace {

// A Target with the fields named in the JS object `js` set from `fields`
// (camelCase), the rest at their defaults; `what` names the object and
// `noun` one of its fields in messages.
template <typename Target>
Target fields_from_js(const val& js, const std::vector<Field<Target>>& fields, const std::string& what,
                      const std::string& noun) {
  Target target;
  if (js.isUndefined() || js.isNull()) return target;
  if (type_of(js) != "object") throw ConfigError(what + " must be an object (got " + type_of(js) + ")");
  const val keys = val::global("Object").call<val>("keys", js);
  const int count = keys["length"].as<int>();
  for (int i = 0; i < count; ++i) {
    const std::string key = keys[i].as<std::string>();
    const val v = js[key];
    if (v.isUndefined()) continue;  // missing ones take the defaults
    const Field<Target>* field = find_field(fields, key, NameStyle::Camel);
    if (!field) {
      std::vector<std::string> known;
      for (const auto& f : fields) known.emplace_back(f.js_name);
      throw ConfigError("unknown " + noun + " \"" + key.substr(0, 40) + "\" (known: " + join_names(known) + ")");
    }
    switch (field->kind) {
      case FieldKind::Choice: field->set_from_text(target, string_arg(v, key), NameStyle::Camel); break;
      case FieldKind::Integer: field->set(target, double(integer_arg(v, key, field->min, field->max))); break;
      case FieldKind::Real: field->set(target, number_arg(v, key)); break;
    }
  }
  return target;
}

}  // namespace

DiffusionConfig config_from_js(const val& js) {
  const auto c = fields_from_js(js, config_fields(), "the config", "config field");
  validate(c, NameStyle::Camel);
  return c;
}

SampleOptions sample_options_from_js(const val& js) {
  const auto o = fields_from_js(js, sample_option_fields(), "sampling options", "sampling option");
  check_sample_options(o, NameStyle::Camel);
  return o;
}

namespace {

// The keys of a plain options object, refusing any not in `known`.
std::vector<std::string> option_keys(const val& js, const std::string& what, const std::vector<std::string>& known) {
  if (type_of(js) != "object" || js.isNull()) throw ConfigError(what + " must be an object (got " + type_of(js) + ")");
  const val keys = val::global("Object").call<val>("keys", js);
  std::vector<std::string> out;
  for (int i = 0; i < keys["length"].as<int>(); ++i) {
    const std::string key = keys[i].as<std::string>();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      throw ConfigError("unknown option \"" + key.substr(0, 40) + "\" of " + what + " (known: " + join_names(known) + ")");
    }
    if (!js[key].isUndefined()) out.push_back(key);
  }
  return out;
}

}  // namespace

Denoiser denoiser_from_js(const val& js) {
  if (js.isUndefined()) return Denoiser::Network;
  const auto given = option_keys(js, "lossByTimestep options", {"denoiser"});
  return given.empty() ? Denoiser::Network : parse_denoiser(string_arg(js["denoiser"], "denoiser"));
}

SweepOptions sweep_options_from_js(const val& js) {
  SweepOptions o;
  if (js.isUndefined()) return o;
  for (const std::string& key : option_keys(js, "samplerSweep options", {"ideal", "clipX0", "steps"})) {
    const val v = js[key];
    if (key == "ideal") {
      if (type_of(v) != "boolean") throw ConfigError("ideal must be true or false (got " + type_of(v) + ")");
      o.ideal = v.as<bool>();
    } else if (key == "clipX0") {
      o.clip_x0 = number_arg(v, "clipX0");
      if (!(o.clip_x0 >= 0)) throw ConfigError("clipX0 must be a number from 0 (got " + std::to_string(o.clip_x0) + ")");
    } else {
      const std::vector<float> steps = floats_from_js(v, "steps", 64);
      if (steps.empty()) throw ConfigError("steps must hold at least one step count");
      for (float s : steps) o.steps.push_back(int(integer_arg(val(double(s)), "steps", 1, Limits::kMaxTimesteps)));
    }
  }
  return o;
}

namespace {
val field_value(const ConfigField& f, const DiffusionConfig& c) {
  return f.kind == FieldKind::Choice ? val(f.to_text(c)) : val(f.get(c));
}
}  // namespace

val config_to_js(const DiffusionConfig& c) {
  val o = val::object();
  for (const ConfigField& f : config_fields()) o.set(f.js_name, field_value(f, c));
  return o;
}

val config_fields_js() {
  const DiffusionConfig defaults;
  val out = val::array();
  for (const ConfigField& f : config_fields()) {
    val row = val::object();
    row.set("name", std::string(f.name));
    row.set("jsName", std::string(f.js_name));
    row.set("kind", f.kind == FieldKind::Choice ? "choice" : f.kind == FieldKind::Integer ? "int" : "number");
    if (f.kind == FieldKind::Choice) {
      val names = val::array();
      for (const auto& n : f.choices()) names.call<void>("push", val(n));
      row.set("choices", names);
    } else {
      row.set("min", f.min);
      row.set("max", f.max);
      row.set("minExclusive", f.min_exclusive);
    }
    row.set("default", field_value(f, defaults));
    out.call<void>("push", row);
  }
  return out;
}

std::vector<float> floats_from_js(const val& array, const std::string& what, double max_floats) {
  const std::string message = what + " must be a Float32Array";
  if (array.isUndefined() || array.isNull() || type_of(array) != "object") throw ConfigError(message);
  const val length_value = array["length"];
  if (type_of(length_value) != "number") throw ConfigError(message);
  const double length = length_value.as<double>();
  if (length > max_floats) throw ConfigError(what + " is too long (" + std::to_string((long long)length) + " values)");
  std::vector<float> out(static_cast<size_t>(length));
  // Copy through a view of our buffer (created after the allocation, so no
  // memory growth can detach it before set()).
  val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", array);
  return out;
}

std::vector<float> points_from_js(const val& xy, const char* what) {
  const bool array_like = !xy.isUndefined() && !xy.isNull() && type_of(xy) == "object" && type_of(xy["length"]) == "number";
  if (!array_like) throw ConfigError(std::string(what) + " must be a Float32Array of interleaved x, y");
  if (xy["length"].as<double>() > 2.0 * kMaxDatasetSize) {
    throw ConfigError(std::string(what) + " has too many points (at most " + std::to_string(kMaxDatasetSize) + ")");
  }
  return floats_from_js(xy, what, 2.0 * kMaxDatasetSize);
}

std::vector<int> labels_from_js(const val& labels, const char* what) {
  // Read as doubles so that 1.5 or NaN is seen (an Int32Array copy would truncate it).
  const std::vector<float> values = floats_from_js(labels, std::string(what) + " (an Int32Array of class labels)",
                                                   double(kMaxDatasetSize));
  std::vector<int> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const float v = values[i];
    if (!(v >= 0 && v <= kMaxLabel) || v != std::floor(v)) {
      throw ConfigError(std::string(what) + ": labels[" + std::to_string(i) + "] must be a class number from 0 to " +
                        std::to_string(kMaxLabel) + " (got " + std::to_string(v) + ")");
    }
    out[i] = int(v);
  }
  return out;
}

}  // namespace tinydiff::js
