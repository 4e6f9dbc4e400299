#include "diffusion/coupling.hpp"

#include <algorithm>

#include "tinydiff/assignment.hpp"

namespace tinydiff {

void couple_noise_to_data(const float* x0, float* noise, const int* labels, int B, CouplingScratch& s) {
  s.permuted.assign(noise, noise + 2 * size_t(B));
  // The rows of each group, in order: one group without labels.
  s.rows.resize(size_t(B));
  for (int b = 0; b < B; ++b) s.rows[size_t(b)] = b;
  if (labels) std::stable_sort(s.rows.begin(), s.rows.end(), [&](int i, int j) { return labels[i] < labels[j]; });
  for (size_t first = 0; first < size_t(B);) {
    size_t last = first + 1;
    while (last < size_t(B) && (!labels || labels[s.rows[last]] == labels[s.rows[first]])) ++last;
    const size_t n = last - first;
    s.a.resize(2 * n);
    s.b.resize(2 * n);
    for (size_t k = 0; k < n; ++k) {
      const size_t r = size_t(s.rows[first + k]);
      s.a[2 * k] = x0[2 * r];
      s.a[2 * k + 1] = x0[2 * r + 1];
      s.b[2 * k] = s.permuted[2 * r];
      s.b[2 * k + 1] = s.permuted[2 * r + 1];
    }
    // Data row k of the group takes the group's noise row pair[k].
    const std::vector<int> pair = squared_distance_assignment(s.a.data(), s.b.data(), n);
    for (size_t k = 0; k < n; ++k) {
      const size_t r = size_t(s.rows[first + k]);
      noise[2 * r] = s.b[2 * size_t(pair[k])];
      noise[2 * r + 1] = s.b[2 * size_t(pair[k]) + 1];
    }
    first = last;
  }
}

}  // namespace tinydiff
