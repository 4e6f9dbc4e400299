#include "internal/pairwise.hpp"

#include <algorithm>
#include <vector>

#include <Eigen/Core>

namespace tinydiff {

void for_each_distance_block(const float* a, size_t rows_a, const float* b, size_t rows_b,
                             const PairwiseVisitor& visit, double b_scale) {
  using Points = Eigen::Matrix<double, Eigen::Dynamic, 2, Eigen::RowMajor>;
  using Distances = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Points B = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, 2, Eigen::RowMajor>>(b, Eigen::Index(rows_b), 2)
                       .cast<double>() * b_scale;
  const Eigen::RowVectorXd b_norms = B.rowwise().squaredNorm().transpose();
  Distances d2;
  for (size_t first = 0; first < rows_a; first += kPairwiseBlockRows) {
    const size_t rows = std::min(kPairwiseBlockRows, rows_a - first);
    const Points A = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, 2, Eigen::RowMajor>>(
                         a + 2 * first, Eigen::Index(rows), 2)
                         .cast<double>();
    d2.noalias() = -2.0 * A * B.transpose();
    d2.colwise() += A.rowwise().squaredNorm();
    d2.rowwise() += b_norms;
    d2 = d2.cwiseMax(0.0);
    visit(first, rows, d2.data());
  }
}

}  // namespace tinydiff
