// The 2D training sets: the reference's four presets and the user's own points.
// Points are stored interleaved: xy[2*i] = x_i, xy[2*i+1] = y_i.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tinydiff {

constexpr int kDefaultDatasetSize = 8000;
constexpr int kMaxDatasetSize = 10'000'000;

// Points, interleaved x, y, and optionally one class label 0..kMaxLabel per
// point (labels empty: unlabelled).
struct PointSet {
  std::vector<float> xy;
  std::vector<int> labels;
  size_t size() const { return xy.size() / 2; }
  // The number of classes the labels span (the largest label + 1; 0 unlabelled).
  int num_classes() const;
};

constexpr int kMaxLabel = 7;  // labels 0..7: up to 8 classes (Limits::kMaxClasses)

// dino moons line circle (the reference's), then the presets with classes:
// two_moons (moons, each moon a class) and dino_in_circle (a half-size dino,
// class 0, inside the circle, class 1; half the points each).
const std::vector<std::string>& dataset_names();

// A preset with n points drawn from `seed` (the recipes: core/src/dataset.cpp;
// the Datasaurus dino's points: core/src/dino_points.inc), with its labels.
// Throws ConfigError for an unknown name or n outside [1, kMaxDatasetSize].
PointSet make_points(const std::string& name, int n, uint64_t seed);
// The same preset's coordinates only (labels dropped).
std::vector<float> make_dataset(const std::string& name, int n, uint64_t seed);

// The raw Datasaurus dino drawing (142 points, raw units).
const std::vector<float>& dino_raw_points();

// Throws ConfigError unless xy holds at least one whole, finite point.
void check_points(const std::vector<float>& xy);

}  // namespace tinydiff
