// The network being trained and its buffers: one flat buffer each for the
// weights, their gradients and the two AdamW moments (MlpLayout order), the
// moving average, the batch a step learns from with its scratch, and the
// data-parallel shards' copies. Part of Diffusion (core/src/diffusion.cpp);
// the training step (training_step.hpp) works on it.
#pragma once

#include <memory>
#include <vector>

#include "diffusion/coupling.hpp"
#include "internal/aligned.hpp"
#include "internal/mlp.hpp"
#include "internal/worker_pool.hpp"
#include "tinydiff/config.hpp"

namespace tinydiff {

// The batch a training step learns from: x_t [B, 2] at integer timesteps t
// (eps) or real times (flow, already scaled by T), labels or null, and what
// the network should output, target [B, 2].
struct TrainingBatch {
  const float* x_t = nullptr;
  const int* t = nullptr;
  const float* times = nullptr;
  const int* labels = nullptr;
  const float* target = nullptr;
  int size = 0;
};

struct NetworkBuffers {
  explicit NetworkBuffers(const ModelConfig& config) : mlp(config) {
    const size_t P = mlp.num_params();
    params.assign(P, 0.0f);
    grads.assign(P, 0.0f);
    adam_m.assign(P, 0.0f);
    adam_v.assign(P, 0.0f);
  }
  // The weights that sample, predict and are saved: the average when kept.
  const AlignedVector<float>& model_parameters() const { return ema.empty() ? params : ema; }

  // The network's output [rows, 2] for rows first.. of the batch, through
  // `net` with parameters `p`.
  const float* forward_rows(Mlp<float>& net, const float* p, int first, int rows) const {
    const float* xy = batch.x_t + 2 * size_t(first);
    const int* labels = batch.labels ? batch.labels + first : nullptr;
    return batch.times ? net.forward_times(p, xy, batch.times + first, rows, labels)
                       : net.forward(p, xy, batch.t + first, rows, labels);
  }

  Mlp<float> mlp;
  AlignedVector<float> params, grads, adam_m, adam_v;
  AlignedVector<float> ema;  // moving average of params, empty when off
  // The step's scratch, sized once per batch size: the clean batch, its
  // noise, the noised points and their times, labels and targets.
  AlignedVector<float> x0, noise, x_t;
  std::vector<int> t, labels;
  AlignedVector<float> target, times, scaled_times;  // the flow objective's
  CouplingScratch coupling;                           // its OT coupling's
  TrainingBatch batch;

  // Data-parallel training (Diffusion::set_threads): shard k of a batch runs
  // through shard_mlps[k - 1] (shard 0: mlp) into shard_grads[k]; thread k
  // then sums slice k of them into grads. Each slice of grads is written by
  // one thread only, so its cache lines stay in that core's cache from the
  // sum to AdamW and the next step (when shard 0 wrote into grads itself,
  // thread 1's sum pulled half of them over to its core each step: 2 threads
  // at batch 256 ran 1.7% slower, medians of 8 alternating rounds).
  // Each shard also runs from a copy of the parameters, shard_params[k],
  // taken by its thread at the start of the step: half of them were just
  // written by the other thread's AdamW, and reading those from the other
  // core's cache a line at a time inside the products cost more than one
  // streaming copy (2 threads at batch 256: forward and backward 660 -> 610
  // us, +6% steps/s).
  std::unique_ptr<WorkerPool> pool;
  std::vector<std::unique_ptr<Mlp<float>>> shard_mlps;
  std::vector<AlignedVector<float>> shard_grads, shard_params;
  std::vector<double> shard_loss, slice_sum_squares;
};

}  // namespace tinydiff
