// The 2D training sets: the reference's four presets and the user's own points.
// Points are stored interleaved: xy[2*i] = x_i, xy[2*i+1] = y_i.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tinydiff {

constexpr int kDefaultDatasetSize = 8000;
constexpr int kMaxDatasetSize = 10'000'000;

const std::vector<std::string>& dataset_names();  // dino moons line circle

// A preset with n points drawn from `seed` (the recipes: core/src/dataset.cpp;
// the Datasaurus dino's points: core/src/dino_points.inc).
// Throws ConfigError for an unknown name or n outside [1, kMaxDatasetSize].
std::vector<float> make_dataset(const std::string& name, int n, uint64_t seed);

// The raw Datasaurus dino drawing (142 points, raw units).
const std::vector<float>& dino_raw_points();

// Throws ConfigError unless xy holds at least one whole, finite point.
void check_points(const std::vector<float>& xy);

}  // namespace tinydiff
