#include "diffusion/diagnostics.hpp"

#include <cmath>

#include "tinydiff/rng.hpp"

namespace tinydiff {

NoiseLevel noise_level(const NoiseSchedule& schedule, Objective objective, double t) {
  if (objective == Objective::Flow) return {1.0 - t, t};
  const double abar = schedule.alphas_cumprod[size_t(t)];
  return {std::sqrt(abar), std::sqrt(1.0 - abar)};
}

std::vector<float> forward_frames(const TrainingData& data, const NoiseSchedule& schedule, Objective objective,
                                  int n, uint64_t seed, std::vector<int>* labels) {
  const int T = schedule.num_timesteps();
  const size_t N2 = 2 * size_t(n);
  Rng rng(seed);
  std::vector<float> frames(size_t(T + 1) * N2), noise(N2);
  if (labels) labels->clear();
  for (int i = 0; i < n; ++i) {
    int label = 0;
    data.copy_point(size_t(rng.below(data.size())), frames.data() + 2 * size_t(i), &label);
    if (labels && !data.labels().empty()) labels->push_back(label);
  }
  if (objective == Objective::Flow) {
    rng.fill_normal(noise.data(), N2);
    for (int k = 1; k <= T; ++k) {
      const float t = float(k) / float(T);
      float* frame = frames.data() + size_t(k) * N2;
      for (size_t i = 0; i < N2; ++i) frame[i] = (1 - t) * frames[i] + t * noise[i];
    }
    return frames;
  }
  for (int t = 0; t < T; ++t) {
    const float keep = std::sqrt(schedule.alphas[t]), spread = std::sqrt(schedule.betas[t]);
    rng.fill_normal(noise.data(), N2);
    const float* prev = frames.data() + size_t(t) * N2;
    float* next = frames.data() + size_t(t + 1) * N2;
    for (size_t i = 0; i < N2; ++i) next[i] = keep * prev[i] + spread * noise[i];
  }
  return frames;
}

std::vector<double> loss_times(Objective objective, int T) {
  std::vector<double> times(static_cast<size_t>(T));
  for (int i = 0; i < T; ++i) times[size_t(i)] = objective == Objective::Flow ? (i + 0.5) / T : double(i);
  return times;
}

std::vector<float> loss_by_time(const TrainingData& data, const NoiseSchedule& schedule, Objective objective,
                                const LabelledPredictor& predict, int points_per_t, uint64_t seed) {
  const int T = schedule.num_timesteps();
  const size_t N2 = 2 * size_t(points_per_t);
  std::vector<float> x0(N2), noise(N2), x_t(N2), target(N2), out(N2), losses(static_cast<size_t>(T));
  std::vector<int> labels(data.labels().empty() ? 0 : size_t(points_per_t));
  Rng rng(seed);
  const std::vector<double> times = loss_times(objective, T);
  const bool flow = objective == Objective::Flow;
  for (int i = 0; i < T; ++i) {
    for (int p = 0; p < points_per_t; ++p) {
      int* label = labels.empty() ? nullptr : &labels[size_t(p)];
      data.copy_point(size_t(rng.below(data.size())), x0.data() + 2 * size_t(p), label);
    }
    rng.fill_normal(noise.data(), N2);
    const NoiseLevel level = noise_level(schedule, objective, times[size_t(i)]);
    for (size_t j = 0; j < N2; ++j) {
      x_t[j] = float(level.keep * x0[j] + level.spread * noise[j]);
      target[j] = flow ? noise[j] - x0[j] : noise[j];  // what the objective predicts
    }
    predict(out.data(), x_t.data(), points_per_t, times[size_t(i)], labels.empty() ? nullptr : labels.data());
    double sum = 0;
    for (size_t j = 0; j < N2; ++j) sum += (double(out[j]) - target[j]) * (double(out[j]) - target[j]);
    losses[size_t(i)] = float(sum / double(N2));
  }
  return losses;
}

}  // namespace tinydiff
