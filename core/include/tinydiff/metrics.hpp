// How close generated points are to the data: the quality score used by the
// tests, the CLI and the page.
#pragma once

#include <cstddef>

namespace tinydiff {

struct QualityScore {
  double sample_to_data = 0;  // mean distance from each sample to its nearest data point
  double data_to_sample = 0;  // mean distance from each data point to its nearest sample
  double chamfer = 0;         // their sum (symmetric Chamfer distance)
  double precision = 0;       // share of samples within `radius` of a data point
  double coverage = 0;        // share of data points within `radius` of a sample
};

// samples: n interleaved (x, y) points; data: m points. Exact nearest
// neighbours (brute force: fine for the 1000 x 8000 case, ~10 ms).
QualityScore quality_score(const float* samples, size_t n, const float* data, size_t m,
                           double radius = 0.1);

}  // namespace tinydiff
