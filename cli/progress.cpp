#include "progress.hpp"

#include <cstdio>

namespace tinydiff::cli {

void TrainProgress::update(int64_t done, int epoch, int epochs, double loss, bool force) {
  if (quiet_) return;
  const double elapsed = seconds_since(start_) - excluded_;
  if (terminal_) {
    if (!force && elapsed - last_draw_ < 0.1 && elapsed >= last_draw_) return;
    last_draw_ = elapsed;
    const ProgressLine p = progress_line(done, total_, elapsed);
    std::fprintf(stderr, "\r  epoch %4d/%d [%s] %3.0f%%  loss %.4f  distance %.3f  %6.0f steps/s  eta %4.0fs ",
                 epoch, epochs, p.bar.c_str(), p.percent, loss, distance_, p.rate, p.eta);
    std::fflush(stderr);
  } else if (force) {
    std::fprintf(stderr, "  epoch %d/%d  loss %.4f  distance %.4f  %.0f steps/s\n", epoch, epochs, loss,
                 distance_, elapsed > 0 ? double(done) / elapsed : 0);
  }
}

void TrainProgress::finish() {
  if (terminal_ && !quiet_) std::fprintf(stderr, "\n");
}

}  // namespace tinydiff::cli
