// Classes and guidance: which class each sample is drawn in, what a class's
// ideal denoiser is, and classifier-free guidance over any denoiser. Part of
// Diffusion (core/src/diffusion.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "diffusion/training_data.hpp"
#include "internal/samplers.hpp"
#include "tinydiff/config.hpp"
#include "tinydiff/diffusion.hpp"  // LabelledPredictor
#include "tinydiff/ideal_denoiser.hpp"

namespace tinydiff {

// Throws ConfigError for a class or guidance a model of K classes cannot take.
void check_class_options(const SampleOptions& options, int num_classes);
// Non-negative weights of K classes, normalised to sum 1; throws
// ConfigError for K wrong, a negative or non-finite weight or a zero sum.
std::vector<double> normalised_proportions(std::vector<double> weights, int num_classes);
// The class of each of n samples (empty without classes): options.class_label,
// or each drawn in `proportions` from a stream of its own, so that the noise
// of a seed is the same whatever the classes.
std::vector<int> draw_sample_classes(const SampleOptions& options, int n, uint64_t seed,
                                     const std::vector<double>& proportions, int num_classes);
// What predicts while sampling: `predict` for rows of `labels` (none:
// unconditional) under guidance w, uncond + w (cond - uncond); w = 0 and 1
// are computed alone.
Predictor guided_predictor(LabelledPredictor predict, std::vector<int> labels, double guidance);

// The ideal denoiser (E[eps | x_t], or E[eps - x0 | x_t] for flow) of the
// points of each row's class at this noise level (all points for no class,
// and for every row when labels is null). Throws ConfigError for a class
// without points.
void ideal_by_class(float* out, const float* xy, int n, const int* labels, const TrainingData& data,
                    int num_classes, Objective objective, NoiseLevel level);

}  // namespace tinydiff
