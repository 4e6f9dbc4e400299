// One training step as named stages, in the order Diffusion::step runs them
// (as llm.c's forward / zero_grad / backward / update):
//   draw_batch          the data loader's next batch, noised for the objective (a flow batch's noise OT-coupled when asked)
//   forward_backward    forward, loss, backward (shard by shard on threads,
//                       then the shards' gradients summed)
//   clip_scale          the factor gradient clipping applies
//   update_parameters   AdamW and the weights' moving average
// Part of Diffusion (core/src/diffusion.cpp); the buffers are NetworkBuffers.
#pragma once

#include <cstdint>

#include "diffusion/network_buffers.hpp"
#include "diffusion/training_data.hpp"
#include "tinydiff/config.hpp"
#include "tinydiff/rng.hpp"
#include "tinydiff/schedule.hpp"

namespace tinydiff {

// Stage 1: B points of the next batch of `data`, their noise and time from
// `rng`, into net's scratch, with net.batch pointing at them: eps, x_t =
// sqrt(abar_t) x0 + sqrt(1 - abar_t) eps at a uniform integer t, target eps;
// flow, x_t = (1 - t) x0 + t eps at t ~ U[0, 1] (or u^2), target eps - x0.
void draw_batch(NetworkBuffers& net, TrainingData& data, const DiffusionConfig& config,
                const NoiseSchedule& schedule, Rng& rng, int B);
// net.batch for a flow batch given from outside: its times in [0, 1] are
// scaled by T (the time embedding's scale) into net.scaled_times.
void set_flow_batch(NetworkBuffers& net, const float* x_t, const float* velocity, const float* times, int B,
                    const int* labels, int T);

struct StepLoss {
  float loss;        // mean squared error over the batch
  double grad_norm;  // of the summed gradients, before clipping
};
// Stage 2: forward, MSE against net.batch.target, backward into net.grads.
StepLoss forward_backward(NetworkBuffers& net, const ModelConfig& config);

// Stage 3: torch.nn.utils.clip_grad_norm_'s factor, max_norm / (norm +
// 1e-6) when below 1, else 1.
float clip_scale(double grad_norm, double max_norm);

// Stage 4: AdamW (step counts from 1) with the gradients scaled by
// `clip_scale` as they are read, then the moving average, on every slice of
// the parameters (on the pool's threads when the step was sharded).
void update_parameters(NetworkBuffers& net, const TrainConfig& train, int64_t step, float clip_scale);

}  // namespace tinydiff
