// The checkpointed training loop that train and ablate share: epochs of
// steps, and at each checkpoint epoch the eval batch sampled from the eval
// stream (common.hpp kEvalStream), so the frames show one set of starting
// noise denoised by an ever better model.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "tinydiff/diffusion.hpp"

namespace tinydiff::cli {

// The checkpoint epochs of a run of `epochs`: every `every` epochs from 0
// (0-based, as the reference's frames), and the last.
std::vector<int> checkpoint_epochs(int epochs, int every);

struct TrainingLoopHooks {
  // After each step: its loss, the epoch and the step's index in it.
  std::function<void(float loss, int epoch, int64_t step_in_epoch)> on_step;
  // At a checkpoint epoch, after its steps: the samples and the seconds sampling took.
  std::function<void(int epoch, std::vector<float> samples, double sample_seconds)> on_checkpoint;
  // After each epoch (and its checkpoint): the epoch's mean loss.
  std::function<void(int epoch, double mean_loss)> on_epoch_end;
};

struct TrainingLoopResult {
  int64_t steps = 0;            // steps taken (diverged: before the step that diverged)
  double train_seconds = 0;     // in steps, without sampling
  bool diverged = false;        // the loss or gradient became NaN or infinite (Diffusion::step)
  int diverged_epoch = -1;
  int64_t diverged_step_in_epoch = -1;
};

// Trains `model` (data set) for `epochs` epochs of steps_per_epoch() steps,
// sampling `eval_batch` points with the objective's default sampler and
// `eval_seed` after each epoch of `checkpoints` (ascending). Stops at a
// divergence.
TrainingLoopResult train_with_checkpoints(Diffusion& model, int epochs, const std::vector<int>& checkpoints,
                                          int eval_batch, uint64_t eval_seed, const TrainingLoopHooks& hooks);

}  // namespace tinydiff::cli
