// How training scales from one thread to more, measured in pairs: one model
// (the reference MLP on the dino) alternates between 1 and N threads in short
// rounds, and each round's N-thread rate is divided by the 1-thread rate
// measured just before it. On a shared machine the speed of separate runs
// drifts by more than the effect (docs/performance.md); within a pair both
// sides see the same neighbours. Prints one JSON line per batch size.
//
//   build/bench/tinydiff_bench_thread_scaling [batches 32,256,1000] [threads 2] [rounds 11] [seconds a side 0.3]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "tinydiff/config.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "training_rate.hpp"

using namespace tinydiff;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Steps per second on `threads` threads over at least `seconds`.
double rate(Diffusion& model, int threads, double seconds) {
  model.set_threads(threads);
  model.train(20);  // the pool's threads awake, the shards' buffers allocated
  return bench::steps_per_second_over(model, seconds, 10);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> batches;
  std::stringstream in(argc > 1 ? argv[1] : "32,256,1000");
  for (std::string b; std::getline(in, b, ',');) batches.push_back(std::atoi(b.c_str()));
  const int threads = argc > 2 ? std::atoi(argv[2]) : 2;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 11;
  const double seconds = argc > 4 ? std::atof(argv[4]) : 0.3;
  if (threads < 2 || rounds < 1 || seconds <= 0 ||
      std::any_of(batches.begin(), batches.end(), [](int b) { return b < 1; })) {
    std::fprintf(stderr, "usage: %s [batches 32,256,1000] [threads >= 2] [rounds >= 1] [seconds > 0]\n", argv[0]);
    return 2;
  }
  for (int batch : batches) {
    DiffusionConfig config;
    config.train.batch_size = batch;
    Diffusion model(config);
    model.set_data(make_dataset("dino", kDefaultDatasetSize, 0));
    std::vector<double> one, many, ratio;
    for (int r = 0; r < rounds; ++r) {
      one.push_back(rate(model, 1, seconds));
      many.push_back(rate(model, threads, seconds));
      ratio.push_back(many.back() / one.back());
    }
    std::printf("{\"batch\": %d, \"threads\": %d, \"rounds\": %d, \"steps_per_s_1\": %.1f, \"steps_per_s_n\": %.1f, "
                "\"ratio_median\": %.3f, \"ratio_min\": %.3f, \"ratio_max\": %.3f}\n",
                batch, model.threads(), rounds, median(one), median(many), median(ratio),
                *std::min_element(ratio.begin(), ratio.end()), *std::max_element(ratio.begin(), ratio.end()));
  }
  return 0;
}
