// End-to-end native figures, as JSON: training steps/s with the default
// configuration at a batch size on some threads (Diffusion::set_threads),
// and the time to sample 1000 points over 50 steps, each the median of
// several repeats.
//   build/bench/tinydiff_bench_e2e [steps] [repeats] [batch 32] [threads 1]
// or, for one timed round beside others (bench/browser_speed.mjs --sse-native):
//   build/bench/tinydiff_bench_e2e --seconds S [batch 32] [threads 1]
// which trains for S seconds after the warm-up and prints only the steps/s.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "training_rate.hpp"

using namespace tinydiff;
using Clock = std::chrono::steady_clock;

static double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

static Diffusion warmed_up_model(int batch, int threads) {
  DiffusionConfig config;
  config.train.batch_size = batch;
  Diffusion model{config};
  model.set_threads(threads);
  model.set_data(make_dataset("dino", kDefaultDatasetSize, 0));
  model.train(200);
  return model;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--seconds") {
    const double seconds = argc > 2 ? std::atof(argv[2]) : 0;
    const int batch = argc > 3 ? std::atoi(argv[3]) : 32;
    const int threads = argc > 4 ? std::atoi(argv[4]) : 1;
    if (!(seconds > 0) || batch < 1 || threads < 1) {
      std::fprintf(stderr, "usage: %s --seconds S [batch 32] [threads 1]\n", argv[0]);
      return 2;
    }
    Diffusion model = warmed_up_model(batch, threads);
    std::printf("{\"implementation\": \"native\", \"batch\": %d, \"threads\": %d, \"train_steps_per_s\": %.1f}\n", batch,
                model.threads(), bench::steps_per_second_over(model, seconds, 5));
    return 0;
  }
  const int steps = argc > 1 ? std::atoi(argv[1]) : 5000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  const int batch = argc > 3 ? std::atoi(argv[3]) : 32;
  const int threads = argc > 4 ? std::atoi(argv[4]) : 1;
  Diffusion model = warmed_up_model(batch, threads);
  std::vector<double> rates, times;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    model.train(steps);
    rates.push_back(steps / std::chrono::duration<double>(Clock::now() - t0).count());
  }
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    auto s = model.sample(1000, uint64_t(r));
    times.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    if (s.empty()) return 1;
  }
  // FLOPs of one step: forward, and backward's weight and input gradients
  // (the first layer needs no input gradient).
  const double B = batch, D = 384, H = 128, L = 3;
  const double forward = 2 * B * (D * H + L * H * H + 2 * H);
  const double flops = forward + forward + 2 * B * (L * H * H + 2 * H);
  std::printf("{\"implementation\": \"native\", \"batch\": %d, \"threads\": %d, \"train_steps_per_s\": %.1f, \"sample_1000x50_s\": %.4f, "
              "\"train_gflops\": %.2f, \"flops_per_step\": %.0f}\n",
              batch, model.threads(), median(rates), median(times), median(rates) * flops / 1e9, flops);
  return 0;
}
