// Reflow (rectified flow: Liu, Gong and Liu, ICLR 2023): a flow model's ODE
// takes noise to data along curved paths; a new model trained on the pairs
// (noise, where the ODE took it) learns paths that are straighter, so that
// it samples well in one Euler step. This file draws the pairs;
// Diffusion::set_pairs trains on them.
#pragma once

#include <cstdint>
#include <vector>

#include "tinydiff/config.hpp"

namespace tinydiff {

class Diffusion;

struct ReflowPairs {
  std::vector<float> noise;  // n x 2: each path's start at t = 1
  std::vector<float> xy;     // n x 2: where the ODE took it, at t = 0
  std::vector<int> labels;   // a conditional model: each sample's class (empty otherwise)
};

// n pairs from a flow model: the noise of sampling stream `seed` and its
// solution by `options` (euler or heun over options.steps; a conditional
// model: options' class and guidance). Throws ConfigError for a noise-
// prediction model or options it cannot take.
ReflowPairs make_reflow_pairs(Diffusion& model, int n, uint64_t seed, const SampleOptions& options);

// Liu et al.'s straightness of a flow model's paths (metrics.hpp
// straightness) over n paths from stream `seed`, solved by Euler over
// `steps` even steps with options' denoiser, class and guidance: 0 when
// every path is straight, as reflow aims for.
constexpr int kStraightnessSteps = 100;
double model_straightness(Diffusion& model, int n, uint64_t seed, const SampleOptions& options = {},
                          int steps = kStraightnessSteps);

}  // namespace tinydiff
