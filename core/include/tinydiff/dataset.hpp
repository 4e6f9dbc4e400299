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
// class 0, inside the circle, class 1; half the points each); then
// eight_gaussians (on a circle of radius 5: the flow-matching papers' toy).
const std::vector<std::string>& dataset_names();

// A preset with n points drawn from `seed` (the recipes: core/src/dataset.cpp;
// the Datasaurus dino's points: core/src/dino_points.inc), with its labels.
// Throws ConfigError for an unknown name or n outside [1, kMaxDatasetSize].
PointSet make_points(const std::string& name, int n, uint64_t seed);
// The same preset's coordinates only (labels dropped).
std::vector<float> make_dataset(const std::string& name, int n, uint64_t seed);

// The raw Datasaurus dino drawing (142 points, raw units).
const std::vector<float>& dino_raw_points();

// A model that trains on n of `count` points (TrainConfig::train_size): the
// indices of those it trains on, in increasing order, drawn without
// replacement from `seed`; all of them when n is 0 or at least count. The
// page marks a drawing's held-out points with them.
std::vector<uint32_t> training_indices(size_t count, size_t n, uint64_t seed);
// The points split by training_indices: those a model trains on, and the
// rest, held out (labels follow their points).
struct SplitPoints {
  PointSet train;
  PointSet held_out;
};
SplitPoints split_training_set(const PointSet& points, size_t n, uint64_t seed);

// Throws ConfigError unless xy holds at least one whole, finite point.
void check_points(const std::vector<float>& xy);

}  // namespace tinydiff
