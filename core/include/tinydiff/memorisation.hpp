// Whether samples copy their training points, measured so that the answer
// does not depend on the data's scale: a sample is a copy when its nearest
// training point is at most kCopyRatio as far as the second nearest (the
// criterion of Yoon et al. 2023 and Bonnaire et al., NeurIPS 2025). In 2D the
// criterion also fires on points that copy nothing (for a locally uniform
// density, a share kCopyRatio^2 = 1/9 of fresh points pass it), so the
// share of copies is always reported next to its base rate: the same share
// for fresh points of the same distribution against the same training set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tinydiff {

constexpr double kCopyRatio = 1.0 / 3.0;

// The share of `points` (n, interleaved x, y) whose nearest point of `train`
// (m >= 2) is at most `ratio` as far as the second nearest; 0 when n is 0.
// Throws ConfigError when m < 2 (no second nearest).
double copy_share(const float* points, size_t n, const float* train, size_t m, double ratio = kCopyRatio);
// Which of them are copies (1) by that criterion: what the page marks.
std::vector<uint8_t> copy_flags(const float* points, size_t n, const float* train, size_t m, double ratio = kCopyRatio);

struct MemorisationScore {
  double copy_share = 0;      // of the samples, against the training set
  double base_rate = 0;       // of the fresh points, against the same training set
  double excess = 0;          // copy_share - base_rate: the memorisation
  double test_distance = 0;   // symmetric Chamfer distance of the samples to the fresh points
  double train_distance = 0;  // ... to the training points
};

// samples (n), the training set (m >= 2) and fresh points of the same
// distribution (k >= 1).
MemorisationScore memorisation_score(const float* samples, size_t n, const float* train, size_t m,
                                     const float* fresh, size_t k, double ratio = kCopyRatio);

// The training times of Bonnaire et al. from one model's evaluations (the
// steps, increasing), as `tinydiff memorise` and the page's lab report them.
// The first step whose value is within `within` (0.1: 10%) of the series'
// best (smallest): tau_gen from the test distances; -1 for an empty series.
int64_t first_near_best(const std::vector<int64_t>& steps, const std::vector<double>& values, double within);
// The first step by which the series has made `share` (0.9) of its fall from
// `start` (the untrained model's value) to its best: tau_fall, a tau_gen
// that a slow late improvement does not move (docs/memorisation.md).
int64_t first_after_fall(const std::vector<int64_t>& steps, const std::vector<double>& values, double start,
                         double share);
// The first step whose excess copy share reaches `margin`; -1 if none does.
int64_t first_reaching(const std::vector<int64_t>& steps, const std::vector<double>& excess, double margin);

}  // namespace tinydiff
