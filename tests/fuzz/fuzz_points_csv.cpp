// libFuzzer: the CSV point parser must accept or refuse (IoError) any bytes,
// never crash, and what it accepts must be whole, finite points (labels 0..7, one
// per point, when there are any).
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tinydiff/io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto points = tinydiff::parse_points_csv(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
    const auto& xy = points.xy;
    if (xy.empty() || xy.size() % 2 != 0) std::abort();
    for (float v : xy)
      if (!std::isfinite(v)) std::abort();
    if (!points.labels.empty() && points.labels.size() != points.size()) std::abort();
    for (int label : points.labels)
      if (label < 0 || label > tinydiff::kMaxLabel) std::abort();
  } catch (const tinydiff::IoError&) {
  }
  return 0;
}
