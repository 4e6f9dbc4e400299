// The one progress bar of `tinydiff train` and `tinydiff ablate`: its
// characters, the share done, the rate and the time left; and train's line,
// redrawn in place on a terminal.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include "common.hpp"

namespace tinydiff::cli {

struct ProgressLine {
  std::string bar;    // 28 columns of '#' (done) and '-'
  double percent = 0;
  double rate = 0;    // steps per second so far
  double eta = 0;     // seconds left at that rate
};

inline ProgressLine progress_line(int64_t done, int64_t total, double seconds) {
  constexpr int kWidth = 28;
  ProgressLine p;
  const double share = total > 0 ? double(done) / double(total) : 1.0;
  p.bar.assign(size_t(share * kWidth), '#');
  p.bar.resize(kWidth, '-');
  p.percent = 100.0 * share;
  p.rate = seconds > 0 ? double(done) / seconds : 0;
  p.eta = p.rate > 0 ? double(total - done) / p.rate : 0;
  return p;
}

// `tinydiff train`'s progress: a bar redrawn at most every 0.1 s on a
// terminal, else a line at the epochs it is told to report.
class TrainProgress {
 public:
  TrainProgress(int64_t total, bool terminal, bool quiet)
      : total_(total), terminal_(terminal), quiet_(quiet), start_(Clock::now()) {}

  // Time spent outside training (sampling frames) is left out of steps/s.
  void exclude(double seconds) { excluded_ += seconds; }
  void set_distance(double chamfer) { distance_ = chamfer; }
  void update(int64_t done, int epoch, int epochs, double loss, bool force = false);
  void finish();

 private:
  int64_t total_;
  bool terminal_, quiet_;
  Clock::time_point start_;
  double last_draw_ = -1;
  double excluded_ = 0;
  double distance_ = std::nan("");
};

}  // namespace tinydiff::cli
