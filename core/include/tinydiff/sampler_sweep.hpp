// Samplers side by side on one model: the distance of their samples to the
// training data against the number of steps, with the network and with the
// ideal denoiser, and the time each sample took. `tinydiff eval
// --steps-sweep` prints it; the page draws it (model.samplerSweep).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tinydiff/config.hpp"
#include "tinydiff/diffusion.hpp"

namespace tinydiff {

struct SweepRow {
  Sampler sampler;
  Denoiser denoiser;
  int steps = 0;                  // network (or ideal denoiser) evaluations
  double chamfer = 0;             // Chamfer distance to the training data
  double w2 = 0;                  // exact 2-Wasserstein distance to it (metrics.hpp)
  double memorised = 0;           // share of samples within 0.01 of a training point
  double seconds_per_sample = 0;  // wall time of the run / n
};

// A noise-prediction model: 1, 2, 5, 10, 20, 50 and T, those up to T. A
// flow model, whose solvers take any number of steps: 1, 2, 4, 8, 16 and
// 100, where one-step sampling and straight paths show.
std::vector<int> sweep_step_counts(int T, Objective objective = Objective::Eps);

// n samples from the stream of `seed` per row: every sampler at every count
// of `steps` it accepts (DDPM only at T), with the network, then the same
// with the ideal denoiser if `ideal`. `base` gives eta and clip_x0. Needs data.
// W2 compares at most kMaxW2Points of the samples and of the data.
std::vector<SweepRow> sampler_sweep(Diffusion& model, int n, uint64_t seed, const std::vector<int>& steps,
                                    bool ideal, const SampleOptions& base = {});

constexpr double kMemorisedRadius = 0.01;

}  // namespace tinydiff
