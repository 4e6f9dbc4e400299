#include "diffusion/training_data.hpp"

#include <numeric>
#include <string>
#include <utility>

#include "tinydiff/config.hpp"
#include "tinydiff/dataset.hpp"

namespace tinydiff {

void TrainingData::set(std::vector<float> xy, std::vector<int> labels, int num_classes) {
  check_points(xy);
  const size_t n = xy.size() / 2;
  const int K = num_classes;
  if (K == 0 && !labels.empty()) {
    throw ConfigError("the points have labels but the model has no classes: set num_classes (up to " +
                      std::to_string(Limits::kMaxClasses) + ") to train a conditional model");
  }
  std::vector<std::vector<float>> class_points(static_cast<size_t>(K));
  if (K > 0) {
    if (labels.size() != n) {
      throw ConfigError("a model of " + std::to_string(K) + " classes needs one label per point (got " +
                        std::to_string(labels.size()) + " labels for " + std::to_string(n) + " points)");
    }
    for (size_t i = 0; i < n; ++i) {
      if (labels[i] < 0 || labels[i] >= K) {
        throw ConfigError("label " + std::to_string(labels[i]) + " of point " + std::to_string(i + 1) +
                          " is not a class of this model (0 to " + std::to_string(K - 1) + ")");
      }
      class_points[size_t(labels[i])].push_back(xy[2 * i]);
      class_points[size_t(labels[i])].push_back(xy[2 * i + 1]);
    }
  }
  num_classes_ = K;
  class_points_ = std::move(class_points);
  labels_ = std::move(labels);
  xy_ = std::move(xy);
  pair_noise_.clear();
  order_.resize(size());
  std::iota(order_.begin(), order_.end(), 0u);
  cursor_ = order_.size();  // the next batch starts a fresh shuffle
}

std::vector<double> TrainingData::class_counts() const {
  std::vector<double> counts;
  for (const std::vector<float>& points : class_points_) counts.push_back(double(points.size() / 2));
  return counts;
}

void TrainingData::set_pair_noise(std::vector<float> noise) {
  if (noise.size() != xy_.size()) {
    throw ConfigError("paired noise needs one (x, y) per point (got " + std::to_string(noise.size() / 2) + " for " +
                      std::to_string(size()) + " points)");
  }
  check_points(noise);
  pair_noise_ = std::move(noise);
}

void TrainingData::next_batch(float* x0, int* labels, int B, Rng& rng, double class_dropout, float* noise) {
  if (cursor_ + size_t(B) > order_.size()) {  // a new epoch: reshuffle
    for (size_t i = order_.size() - 1; i > 0; --i) std::swap(order_[i], order_[rng.below(i + 1)]);
    cursor_ = 0;
  }
  for (int b = 0; b < B; ++b) {
    const uint32_t idx = order_[cursor_++];
    x0[2 * b] = xy_[2 * size_t(idx)];
    x0[2 * b + 1] = xy_[2 * size_t(idx) + 1];
    if (noise && !pair_noise_.empty()) {
      noise[2 * b] = pair_noise_[2 * size_t(idx)];
      noise[2 * b + 1] = pair_noise_[2 * size_t(idx) + 1];
    }
    if (num_classes_ > 0) {
      const bool dropped = rng.uniform(0.0, 1.0) < class_dropout;
      labels[b] = dropped ? num_classes_ : labels_[idx];
    }
  }
  if (cursor_ + size_t(B) > order_.size()) ++epoch_;  // drop_last: the rest is skipped
}

void TrainingData::copy_point(size_t index, float* xy, int* label) const {
  xy[0] = xy_[2 * index];
  xy[1] = xy_[2 * index + 1];
  if (label && !labels_.empty()) *label = labels_[index];
}

}  // namespace tinydiff
