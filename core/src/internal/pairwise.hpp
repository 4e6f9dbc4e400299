// Squared distances between two sets of 2D points, with Eigen array
// expressions: a block of rows of A at a time against all of B, D_ij =
// (bx_j - ax_i)^2 + (by_j - ay_i)^2 in double. (The expansion |a|^2 + |b|^2
// - 2 A B^T through a matrix product was measured: 10x slower in wasm for
// two columns, and it cancels for nearby points.)
#pragma once

#include <cstddef>
#include <functional>

namespace tinydiff {

// Rows of A per block: 256 x 8000 doubles is 16 MB.
constexpr size_t kPairwiseBlockRows = 256;

// For each block of rows of a [rows_a, 2] (interleaved floats), calls
// visit(first_row, rows, d2) with d2 [rows, rows_b] row-major: the squared
// distances from those rows of a to b_scale * b [rows_b, 2].
using PairwiseVisitor = std::function<void(size_t first_row, size_t rows, const double* d2)>;
void for_each_distance_block(const float* a, size_t rows_a, const float* b, size_t rows_b,
                             const PairwiseVisitor& visit, double b_scale = 1.0);

}  // namespace tinydiff
