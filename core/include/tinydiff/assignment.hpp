// The optimal assignment of n rows to n columns under a dense cost matrix:
// the exact discrete optimal-transport plan between two equal-size uniform
// point sets (a permutation). It pairs each training batch's noise with its
// data (the OT coupling of flow matching) and gives the exact 2-Wasserstein
// distance between samples and data (metrics.hpp).
#pragma once

#include <cstddef>
#include <vector>

namespace tinydiff {

// The column of each row (a permutation of 0..n-1) that minimises the sum of
// cost[row * n + column]: shortest augmenting paths with dual potentials
// (Jonker-Volgenant; Crouse 2016), O(n^3) at worst, far less on the
// geometric costs here. The costs must be finite; throws ConfigError if not.
std::vector<int> min_cost_assignment(const std::vector<double>& cost, size_t n);

// The same for squared Euclidean distances between two sets of n points
// (interleaved x, y): the plan of equal-size uniform batches.
std::vector<int> squared_distance_assignment(const float* a, const float* b, size_t n);

}  // namespace tinydiff
