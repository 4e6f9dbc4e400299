// What the commands share: the limits train and ablate both check, the
// sampling stream of saved frames, flags made from core's field tables, and
// the clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "tinydiff/config_fields.hpp"

namespace tinydiff::cli {

// Limits of the run flags that train and ablate both take.
struct RunLimits {
  static constexpr int kMaxEpochs = 1'000'000;
  static constexpr int kMaxEvalBatch = 1'000'000;  // samples per saved frame or cell
};

// Every saved frame (train) or cell (ablate) is sampled from this stream, so
// the frames show one set of starting noise denoised by an ever better model.
constexpr uint64_t kEvalStream = 0xe7a1;

using Clock = std::chrono::steady_clock;
inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// ConfigError "FLAG must be an integer from LO to HI (got V)" unless lo <= value <= hi.
void check_integer(const char* flag, long long value, long long lo, long long hi);

// The flag of one table row, bound to `text` (which must stay where it is).
template <typename Target>
CLI::Option* add_field_flag(CLI::App& cmd, const Field<Target>& field, std::string& text, std::string help) {
  if (field.kind == FieldKind::Choice) help += ": " + join_names(field.choices());
  const char* type = field.kind == FieldKind::Integer ? "INT" : field.kind == FieldKind::Real ? "FLOAT" : "TEXT";
  return cmd.add_option(field.cli_flag, text, help)->type_name(type);
}

}  // namespace tinydiff::cli
