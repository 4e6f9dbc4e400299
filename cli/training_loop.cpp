#include "training_loop.hpp"

#include "common.hpp"

namespace tinydiff::cli {

std::vector<int> checkpoint_epochs(int epochs, int every) {
  std::vector<int> out;
  for (int e = 0; e < epochs; e += every) out.push_back(e);
  if (out.back() != epochs - 1) out.push_back(epochs - 1);
  return out;
}

TrainingLoopResult train_with_checkpoints(Diffusion& model, int epochs, const std::vector<int>& checkpoints,
                                          int eval_batch, uint64_t eval_seed, const TrainingLoopHooks& hooks) {
  TrainingLoopResult result;
  const int64_t per_epoch = model.steps_per_epoch();
  size_t next = 0;  // the next checkpoint
  for (int epoch = 0; epoch < epochs; ++epoch) {
    const auto start = Clock::now();
    double epoch_loss = 0;
    for (int64_t s = 0; s < per_epoch; ++s) {
      const float loss = model.step();
      if (model.diverged()) {
        result.train_seconds += seconds_since(start);
        result.diverged = true;
        result.diverged_epoch = epoch;
        result.diverged_step_in_epoch = s;
        return result;
      }
      ++result.steps;
      epoch_loss += loss;
      if (hooks.on_step) hooks.on_step(loss, epoch, s);
    }
    result.train_seconds += seconds_since(start);
    if (next < checkpoints.size() && epoch == checkpoints[next]) {
      ++next;
      const auto sampling = Clock::now();
      std::vector<float> samples = model.sample(eval_batch, eval_seed, nullptr, default_sampling(model.objective()));
      if (hooks.on_checkpoint) hooks.on_checkpoint(epoch, std::move(samples), seconds_since(sampling));
    }
    if (hooks.on_epoch_end) hooks.on_epoch_end(epoch, epoch_loss / double(per_epoch));
  }
  return result;
}

}  // namespace tinydiff::cli
