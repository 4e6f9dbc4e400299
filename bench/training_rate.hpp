// Training steps per second over a span of wall-clock time, for the bench
// programs that time rounds rather than fixed step counts.
#pragma once

#include <chrono>
#include <cstdint>

#include "tinydiff/diffusion.hpp"

namespace tinydiff::bench {

// Trains in chunks of `chunk` steps until at least `seconds` have passed.
inline double steps_per_second_over(Diffusion& model, double seconds, int chunk) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  int64_t steps = 0;
  double elapsed = 0;
  do {
    model.train(chunk);
    steps += chunk;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  return double(steps) / elapsed;
}

}  // namespace tinydiff::bench
