#include "tinydiff/assignment.hpp"

#include <cmath>
#include <limits>
#include <utility>

#include "tinydiff/config.hpp"

namespace tinydiff {

std::vector<int> min_cost_assignment(const std::vector<double>& cost, size_t n) {
  if (cost.size() != n * n) throw ConfigError("the assignment's cost matrix must be n x n");
  for (double c : cost) {
    if (!std::isfinite(c)) throw ConfigError("the assignment's costs must be finite");
  }
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // Dual potentials: cost[i][j] - u[i] - v[j] >= 0 for every pair, = 0 on the assignment.
  std::vector<double> u(n, 0.0), v(n, 0.0), shortest(n);
  std::vector<int> column_of(n, -1), row_of(n, -1), path(n, -1);
  std::vector<size_t> remaining(n);
  std::vector<char> row_seen(n), column_seen(n);
  for (size_t start = 0; start < n; ++start) {
    // Dijkstra over the columns from row `start`, in reduced costs, until
    // the nearest column reached is free.
    for (size_t j = 0; j < n; ++j) remaining[j] = n - 1 - j;
    std::fill(shortest.begin(), shortest.end(), kInf);
    std::fill(row_seen.begin(), row_seen.end(), 0);
    std::fill(column_seen.begin(), column_seen.end(), 0);
    size_t left = n, row = start;
    double reached = 0.0;
    int sink = -1;
    while (sink < 0) {
      row_seen[row] = 1;
      size_t best = 0;
      double lowest = kInf;
      for (size_t k = 0; k < left; ++k) {
        const size_t j = remaining[k];
        const double r = reached + cost[row * n + j] - u[row] - v[j];
        if (r < shortest[j]) {
          path[j] = int(row);
          shortest[j] = r;
        }
        // Ties go to a free column: the path ends sooner.
        if (shortest[j] < lowest || (shortest[j] == lowest && row_of[j] < 0)) {
          lowest = shortest[j];
          best = k;
        }
      }
      reached = lowest;
      const size_t j = remaining[best];
      column_seen[j] = 1;
      remaining[best] = remaining[--left];
      if (row_of[j] < 0) {
        sink = int(j);
      } else {
        row = size_t(row_of[j]);
      }
    }
    // New potentials keep every reduced cost non-negative and the tree's zero.
    u[start] += reached;
    for (size_t i = 0; i < n; ++i) {
      if (row_seen[i] && i != start) u[i] += reached - shortest[size_t(column_of[i])];
    }
    for (size_t j = 0; j < n; ++j) {
      if (column_seen[j]) v[j] -= reached - shortest[j];
    }
    // Flip the path: each row on it takes the column after it.
    for (int j = sink;;) {
      const int i = path[size_t(j)];
      row_of[size_t(j)] = i;
      std::swap(column_of[size_t(i)], j);
      if (size_t(i) == start) break;
    }
  }
  return column_of;
}

std::vector<int> squared_distance_assignment(const float* a, const float* b, size_t n) {
  std::vector<double> cost(n * n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const double dx = double(a[2 * i]) - double(b[2 * j]), dy = double(a[2 * i + 1]) - double(b[2 * j + 1]);
      cost[i * n + j] = dx * dx + dy * dy;
    }
  }
  return min_cost_assignment(cost, n);
}

}  // namespace tinydiff
