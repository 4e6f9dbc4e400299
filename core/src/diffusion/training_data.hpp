// The training data loader: the points, their labels and each class's
// points, and the shuffled order that batches are cut from (drop_last, as
// the reference's DataLoader). Part of Diffusion (core/src/diffusion.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tinydiff/rng.hpp"

namespace tinydiff {

class TrainingData {
 public:
  // Interleaved x, y points and, for a model of K > 0 classes, one label
  // 0..K-1 a point. Throws ConfigError for an empty, odd or non-finite set,
  // or labels missing, out of range, of the wrong count or given to a model
  // without classes. The next batch starts a fresh shuffle.
  void set(std::vector<float> xy, std::vector<int> labels, int num_classes);

  const std::vector<float>& xy() const { return xy_; }
  const std::vector<int>& labels() const { return labels_; }
  size_t size() const { return xy_.size() / 2; }
  bool empty() const { return xy_.empty(); }
  // The points of class k (0..K-1), interleaved.
  const std::vector<float>& class_points(int k) const { return class_points_[size_t(k)]; }
  // How many points each class has (K values; empty without classes).
  std::vector<double> class_counts() const;

  // x0 [B, 2] and labels [B] of the next shuffled batch; a new epoch is
  // reshuffled (Fisher-Yates) from `rng`. With classes, a share
  // `class_dropout` of the labels becomes K, "no class" (classifier-free
  // guidance); without, `labels` is not written.
  // With paired noise (set_pair_noise) and `noise` not null, also each
  // row's own noise [B, 2].
  void next_batch(float* x0, int* labels, int B, Rng& rng, double class_dropout, float* noise = nullptr);
  // Fixed noise for each point (a reflow's pairs: noise, and the point
  // another model's ODE took it to), 2 floats a point; set() clears it.
  // Throws ConfigError for the wrong count or a non-finite value.
  void set_pair_noise(std::vector<float> noise);
  bool has_pairs() const { return !pair_noise_.empty(); }
  int64_t epoch() const { return epoch_; }  // completed epochs

  // Point `index` into xy [2] and, if the data has labels and `label` is
  // not null, its label: for draws with replacement.
  void copy_point(size_t index, float* xy, int* label = nullptr) const;

 private:
  int num_classes_ = 0;
  std::vector<float> xy_;
  std::vector<float> pair_noise_;  // empty: noise is drawn each step
  std::vector<int> labels_;
  std::vector<std::vector<float>> class_points_;
  std::vector<uint32_t> order_;  // shuffled point indices of the current epoch
  size_t cursor_ = 0;            // next index into order_
  int64_t epoch_ = 0;
};

}  // namespace tinydiff
