// The one table of user-facing hyperparameters. Each row names a field of
// DiffusionConfig three ways (core / model files, the wasm API, the CLI),
// gives its kind and allowed range or names, and reads and writes it.
// validate(), the wasm config conversion, the CLI's train flags and the
// model file's metadata all walk this table, so a new hyperparameter is its
// struct member, its use, and one row here.
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

struct ConfigField {
  const char* name;      // snake_case
  const char* js_name;   // camelCase
  const char* cli_flag;  // `tinydiff train` flag, or nullptr when the CLI sets it otherwise
  const char* help;
  FieldKind kind;
  double min, max;       // Integer and Real: the allowed range
  bool min_exclusive;    // Real: (min, max] instead of [min, max]
  InModelFile in_model_file;
  const std::vector<std::string>& (*choices)();  // Choice: the allowed names
  double (*get)(const DiffusionConfig&);          // Integer / Real: the value; Choice: its index
  void (*set)(DiffusionConfig&, double);          // the same, unchecked (validate() checks)

  std::string display_name(NameStyle style) const;
  // Sets the field from text ("64", "1e-3", "cosine"); throws ConfigError
  // naming the field in `style` for text that is not a value of its kind or
  // lies outside its range.
  void set_from_text(DiffusionConfig& c, const std::string& text, NameStyle style) const;
  // The value as text that set_from_text reads back exactly.
  std::string to_text(const DiffusionConfig& c) const;
  // Throws ConfigError if the value lies outside the range (or names).
  void check(const DiffusionConfig& c, NameStyle style) const;
};

const std::vector<ConfigField>& config_fields();
// The row with this name in `style` (Flag: the CLI flag), or nullptr.
const ConfigField* find_config_field(std::string_view name, NameStyle style);
// The row of a snake_case name; throws std::logic_error for a name not in the table.
const ConfigField& config_field(std::string_view name);

}  // namespace tinydiff
