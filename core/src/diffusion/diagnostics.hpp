// What the page's and the CLI's explanations show of a model and its data:
// the forward process (its noise level at t, the noising chain of data
// points) and the loss at each time. Part of Diffusion
// (core/src/diffusion.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "diffusion/conditioning.hpp"
#include "diffusion/training_data.hpp"
#include "tinydiff/config.hpp"
#include "tinydiff/ideal_denoiser.hpp"
#include "tinydiff/schedule.hpp"

namespace tinydiff {

// x_t = keep x0 + spread eps at time t: sqrt(abar_t) and sqrt(1 - abar_t)
// at an integer timestep (eps), 1 - t and t at t in [0, 1] (flow).
NoiseLevel noise_level(const NoiseSchedule& schedule, Objective objective, double t);

// The forward process from n data points drawn with replacement: (T+1) x n
// x 2, frame 0 the data. eps: the Markov chain, frame t+1 = q(x_{t+1} | x_t);
// flow: the straight path to one noise draw per point, at t = k / T.
// `labels` (if not null): each drawn point's class (conditional data).
std::vector<float> forward_frames(const TrainingData& data, const NoiseSchedule& schedule, Objective objective,
                                  int n, uint64_t seed, std::vector<int>* labels);

// The T times the loss is measured at: every timestep (eps), (i + 1/2) / T (flow).
std::vector<double> loss_times(Objective objective, int T);

// The mean squared error of `predict` against the objective's target at each
// of loss_times(), over points_per_t points drawn with replacement from the
// data (with their labels) and noised with the stream of `seed`: the same
// points for any predictor.
std::vector<float> loss_by_time(const TrainingData& data, const NoiseSchedule& schedule, Objective objective,
                                const LabelledPredictor& predict, int points_per_t, uint64_t seed);

}  // namespace tinydiff
