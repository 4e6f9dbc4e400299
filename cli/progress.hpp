// The one progress bar of `tinydiff train` and `tinydiff ablate`: its
// characters, the share done, the rate and the time left.
#pragma once

#include <cstdint>
#include <string>

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

}  // namespace tinydiff::cli
