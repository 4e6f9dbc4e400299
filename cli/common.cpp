#include "common.hpp"

namespace tinydiff::cli {

void check_integer(const char* flag, long long value, long long lo, long long hi) { check_integer_range(flag, value, lo, hi); }

}  // namespace tinydiff::cli
