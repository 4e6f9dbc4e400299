#include "internal/pairwise.hpp"

#include <algorithm>

#include <Eigen/Core>

namespace tinydiff {

void for_each_distance_block(const float* a, size_t rows_a, const float* b, size_t rows_b,
                             const PairwiseVisitor& visit, double b_scale) {
  using Row = Eigen::Array<double, 1, Eigen::Dynamic>;
  using Column = Eigen::Array<double, Eigen::Dynamic, 1>;
  using Block = Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Points = Eigen::Map<const Eigen::Array<float, Eigen::Dynamic, 2, Eigen::RowMajor>>;
  const Points B(b, Eigen::Index(rows_b), 2);
  const Row bx = B.col(0).cast<double>().transpose() * b_scale, by = B.col(1).cast<double>().transpose() * b_scale;
  Block d2;
  for (size_t first = 0; first < rows_a; first += kPairwiseBlockRows) {
    const Eigen::Index rows = Eigen::Index(std::min(kPairwiseBlockRows, rows_a - first));
    const Points A(a + 2 * first, rows, 2);
    const Column ax = A.col(0).cast<double>(), ay = A.col(1).cast<double>();
    // (b - a)^2 summed over the two coordinates: direct differences, one
    // fused pass (no cancellation, unlike |a|^2 + |b|^2 - 2 a.b, and faster
    // for two columns than a matrix product).
    d2 = (bx.replicate(rows, 1).colwise() - ax).square() + (by.replicate(rows, 1).colwise() - ay).square();
    visit(first, size_t(rows), d2.data());
  }
}

}  // namespace tinydiff
