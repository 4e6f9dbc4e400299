// Long-run check: trains the default model for STEPS steps and prints, every
// tenth of the way, the process's resident memory and the rate of that
// stretch (no growth after warm-up, no slowdown). Linux (/proc/self/status).
//   build/bench/tinydiff_soak [steps]   (default 1,000,000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"

static long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

int main(int argc, char** argv) {
  const long steps = argc > 1 ? std::atol(argv[1]) : 1'000'000;
  tinydiff::Diffusion model{tinydiff::DiffusionConfig{}};
  model.set_data(tinydiff::make_dataset("dino", 8000, 0));
  const long stride = steps / 10;
  std::printf("step,rss_kib,steps_per_s\n");
  std::printf("0,%ld,\n", rss_kib());
  for (long done = 0; done < steps; done += stride) {
    const auto t0 = std::chrono::steady_clock::now();
    model.train(stride);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%ld,%ld,%.0f\n", done + stride, rss_kib(), stride / s);
    std::fflush(stdout);
    if (model.diverged()) return 1;
  }
  return 0;
}
