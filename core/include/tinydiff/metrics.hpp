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
// neighbours over the whole distance matrix (internal/pairwise.hpp: Eigen,
// in blocks; fine for the 1000 x 8000 case).
// Within this distance a sample counts as on the data (precision, coverage).
constexpr double kQualityRadius = 0.1;
QualityScore quality_score(const float* samples, size_t n, const float* data, size_t m,
                           double radius = kQualityRadius);

// Whether samples have the data's extent: the "squashed dino" and "fuzzy
// corners" checks of docs/ablations.md.
struct SpreadScore {
  double std_x_ratio = 0;  // sample standard deviation / the data's, per axis
  double std_y_ratio = 0;
  // Share of samples in the four corner squares (side `corner`) of the data's
  // bounding box, over the data's own share there (1: as full as the data).
  // NaN when the data puts under 1% of its points there (the corners are empty).
  double corner_fill = 0;
};
SpreadScore spread_score(const float* samples, size_t n, const float* data, size_t m,
                         double corner = 0.5);

}  // namespace tinydiff
