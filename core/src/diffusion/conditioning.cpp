#include "diffusion/conditioning.hpp"

#include <cmath>
#include <memory>
#include <string>
#include <utility>

namespace tinydiff {
namespace {

// The classes of samples drawn "in the data's proportions" come from their
// own stream (see draw_sample_classes).
constexpr uint64_t kClassStream = 0x5eed0003;

}  // namespace

void check_class_options(const SampleOptions& options, int num_classes) {
  const int K = num_classes;
  if (K == 0 && options.class_label != SampleOptions::kAllClasses) {
    throw ConfigError("this model has no classes: it cannot draw class " + std::to_string(options.class_label));
  }
  if (K > 0 && (options.class_label < SampleOptions::kAllClasses || options.class_label >= K)) {
    throw ConfigError("class must be from 0 to " + std::to_string(K - 1) + ", or all (got " +
                      std::to_string(options.class_label) + ")");
  }
  if (!(options.guidance >= 0 && options.guidance <= Limits::kMaxGuidance)) {
    throw ConfigError("guidance must be a number from 0 to " + std::to_string(int(Limits::kMaxGuidance)) + " (got " +
                      std::to_string(options.guidance) + ")");
  }
}

std::vector<double> normalised_proportions(std::vector<double> weights, int num_classes) {
  if (weights.size() != size_t(num_classes)) {
    throw ConfigError("class proportions: the model has " + std::to_string(num_classes) + " classes (got " +
                      std::to_string(weights.size()) + " values)");
  }
  double sum = 0;
  for (double w : weights) {
    if (!(w >= 0) || !std::isfinite(w)) throw ConfigError("class proportions must be finite and not negative");
    sum += w;
  }
  if (num_classes > 0 && !(sum > 0)) throw ConfigError("class proportions must not all be zero");
  for (double& w : weights) w /= sum;
  return weights;
}

std::vector<int> draw_sample_classes(const SampleOptions& options, int n, uint64_t seed,
                                     const std::vector<double>& proportions, int num_classes) {
  check_class_options(options, num_classes);
  if (num_classes == 0) return {};
  if (options.class_label != SampleOptions::kAllClasses) return std::vector<int>(size_t(n), options.class_label);
  Rng rng(seed ^ kClassStream);
  std::vector<int> labels(static_cast<size_t>(n));
  for (int& label : labels) {
    double u = rng.uniform(0.0, 1.0);
    label = num_classes - 1;
    for (int k = 0; k < num_classes; ++k) {
      if (u < proportions[size_t(k)]) {
        label = k;
        break;
      }
      u -= proportions[size_t(k)];
    }
  }
  return labels;
}

Predictor guided_predictor(LabelledPredictor predict, std::vector<int> labels, double guidance) {
  if (labels.empty() || guidance == 0.0) {  // unconditional
    return [predict](float* out, const float* x, int rows, double t) { predict(out, x, rows, t, nullptr); };
  }
  if (guidance == 1.0) {  // conditional
    return [predict, labels](float* out, const float* x, int rows, double t) {
      predict(out, x, rows, t, labels.data());
    };
  }
  auto uncond = std::make_shared<std::vector<float>>();
  return [predict, labels, guidance, uncond](float* out, const float* x, int rows, double t) {
    uncond->resize(2 * size_t(rows));
    predict(uncond->data(), x, rows, t, nullptr);
    predict(out, x, rows, t, labels.data());
    const float w = float(guidance);
    for (size_t i = 0; i < 2 * size_t(rows); ++i) out[i] = (*uncond)[i] + w * (out[i] - (*uncond)[i]);
  };
}

void ideal_by_class(float* out, const float* xy, int n, const int* labels, const TrainingData& data,
                    int num_classes, Objective objective, NoiseLevel level) {
  auto ideal = [&](float* dst, const float* x, size_t rows, const std::vector<float>& points) {
    if (objective == Objective::Flow) ideal_velocity(dst, x, rows, points.data(), points.size() / 2, level);
    else ideal_noise(dst, x, rows, points.data(), points.size() / 2, level);
  };
  if (!labels) {
    ideal(out, xy, size_t(n), data.xy());
    return;
  }
  // Row by row class: the ideal denoiser of that class's points, gathered and scattered back.
  std::vector<float> x, y;
  for (int k = 0; k <= num_classes; ++k) {
    x.clear();
    for (int i = 0; i < n; ++i) {
      if (labels[i] != k) continue;
      x.push_back(xy[2 * size_t(i)]);
      x.push_back(xy[2 * size_t(i) + 1]);
    }
    if (x.empty()) continue;
    y.resize(x.size());
    const bool no_class = k == num_classes || data.empty();
    if (!no_class && data.class_points(k).empty()) {
      throw ConfigError("class " + std::to_string(k) + " has no training points: the ideal denoiser cannot draw it");
    }
    ideal(y.data(), x.data(), x.size() / 2, no_class ? data.xy() : data.class_points(k));
    size_t j = 0;
    for (int i = 0; i < n; ++i) {
      if (labels[i] != k) continue;
      out[2 * size_t(i)] = y[j++];
      out[2 * size_t(i) + 1] = y[j++];
    }
  }
}

}  // namespace tinydiff
