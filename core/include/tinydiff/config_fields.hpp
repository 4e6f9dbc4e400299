// The tables of user-facing settings: config_fields() for the
// hyperparameters (DiffusionConfig), sample_option_fields() for how to
// sample (SampleOptions). Each row names a field three ways (core / model
// files, the wasm API, the CLI), gives its kind and allowed range or names,
// and reads and writes it. validate(), the wasm conversions, the CLI's flags
// and the model file's metadata all walk these tables, so a new setting is
// its struct member, its use, and one row here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tinydiff/config.hpp"

namespace tinydiff {

enum class FieldKind { Integer, Real, Choice };

// What a model file says of a field: nothing (training only), its value in
// __metadata__ that the tensor shapes also tell (the sizes), or its value in
// __metadata__ alone (what a PyTorch state_dict cannot say: sample/eval take
// it as a flag for such files).
enum class InModelFile { No, AlsoInShapes, MetadataOnly };

// How a message names a field: hidden_size (core), hiddenSize (JS), or the
// CLI flag (--hidden_size; --train_batch_size for batch_size).
enum class NameStyle { Snake, Camel, Flag };

template <typename Target>
struct Field {
  const char* name;      // snake_case
  const char* js_name;   // camelCase
  const char* cli_flag;  // the CLI flag (train's, or sample's and eval's), or nullptr when the CLI sets it otherwise
  const char* help;
  FieldKind kind;
  double min, max;       // Integer and Real: the allowed range
  bool min_exclusive;    // Real: (min, max] instead of [min, max]
  InModelFile in_model_file;
  // Integer / Real: the value, read and written unchecked (check() checks).
  double (*get)(const Target&);
  void (*set)(Target&, double);
  // Choice: the allowed names, the current value's name (listed or not: an
  // identity time embedding is not), and setting a listed name.
  const std::vector<std::string>& (*choices)();
  std::string (*name_of)(const Target&);
  void (*set_name)(Target&, const std::string&);

  std::string display_name(NameStyle style) const;
  // Sets the field from text ("64", "1e-3", "cosine"); throws ConfigError
  // naming the field in `style` for text that is not a value of its kind or
  // lies outside its range.
  void set_from_text(Target& c, const std::string& text, NameStyle style) const;
  // The value as text that set_from_text reads back exactly.
  std::string to_text(const Target& c) const;
  // Throws ConfigError if the value lies outside the range (or names).
  void check(const Target& c, NameStyle style) const;
};

using ConfigField = Field<DiffusionConfig>;
using SampleOptionField = Field<SampleOptions>;

// The row of `fields` with this name in `style` (Flag: the CLI flag), or nullptr.
template <typename Target>
const Field<Target>* find_field(const std::vector<Field<Target>>& fields, std::string_view name, NameStyle style) {
  for (const Field<Target>& f : fields) {
    const char* candidate = style == NameStyle::Snake ? f.name : style == NameStyle::Camel ? f.js_name : f.cli_flag;
    if (candidate && name == candidate) return &f;
  }
  return nullptr;
}

const std::vector<ConfigField>& config_fields();
// The row of a snake_case name; throws std::logic_error for a name not in the table.
const ConfigField& config_field(std::string_view name);

// sampler, steps, eta, clip_x0. Their ranges hold for any model; that steps
// fit the model's T is Diffusion::sample's to check.
const std::vector<SampleOptionField>& sample_option_fields();
// Throws ConfigError for the first option outside its table range.
void check_sample_options(const SampleOptions& options, NameStyle style);

}  // namespace tinydiff
