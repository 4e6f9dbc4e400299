// The OT coupling of a flow-matching batch (Coupling::Ot): the noise rows
// re-paired with the data rows by the exact optimal assignment under squared
// distance, within each group of equal labels (a class, or "no class"), so
// that no pair crosses a class (C2OT).
#pragma once

#include <vector>

namespace tinydiff {

// x0 and noise: B rows of (x, y); labels: B labels, or null (one group).
// Rewrites noise in place; `scratch` keeps its buffers between steps.
struct CouplingScratch {
  std::vector<int> rows;
  std::vector<float> a, b, permuted;
};
void couple_noise_to_data(const float* x0, float* noise, const int* labels, int B, CouplingScratch& scratch);

}  // namespace tinydiff
