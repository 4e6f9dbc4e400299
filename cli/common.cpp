#include "common.hpp"

namespace tinydiff::cli {

void check_integer(const char* flag, long long value, long long lo, long long hi) {
  if (value < lo || value > hi) {
    throw ConfigError(std::string(flag) + " must be an integer from " + std::to_string(lo) + " to " +
                      std::to_string(hi) + " (got " + std::to_string(value) + ")");
  }
}

}  // namespace tinydiff::cli
