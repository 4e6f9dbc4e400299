// How close generated points are to the data: the quality score used by the
// tests, the CLI and the page.
#pragma once

#include <cstddef>
#include <cstdint>

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

// The exact 2-Wasserstein distance between the uniform measures on two sets
// of n points: the square root of the mean squared distance of their optimal
// pairing (assignment.hpp). Unlike Chamfer, it sees how much mass sits
// where: samples piled on half the data are far in W2, near in Chamfer.
double wasserstein2_equal(const float* a, const float* b, size_t n);
// Between samples (n) and data (m) of any sizes: the larger set cut to the
// smaller's size by a draw of `seed` without replacement, both cut to at
// most kMaxW2Points (the assignment is cubic at worst). 0 points: throws.
constexpr size_t kMaxW2Points = 2000;
double wasserstein2(const float* samples, size_t n, const float* data, size_t m, uint64_t seed);

// How straight a flow model's paths are (Liu, Gong and Liu, ICLR 2023):
// S = E integral over t of |(X1 - X0) - v(X_t, t)|^2 dt, X1 the noise a path
// starts from and X0 the point it ends at. From the frames of an Euler
// solve over K even steps from t = 1 to 0 ((K + 1) x n x 2, frame 0 the
// noise), whose k-th velocity is K (x_k - x_{k+1}): the left-point sum.
// 0 for straight paths (what one Euler step then follows exactly).
double straightness(const float* frames, int steps, size_t n);

}  // namespace tinydiff
