// Microbenchmarks of every kernel and layer (Google Benchmark):
//   build/bench/tinydiff_bench_micro [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <Eigen/Core>

#include "tinydiff/assignment.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "internal/gemm.hpp"
#include "internal/kernels.hpp"
#include "internal/mlp.hpp"

using namespace tinydiff;

namespace {

AlignedVector<float> random_vector(size_t n, uint64_t seed, double lo = -1, double hi = 1) {
  Rng rng(seed);
  AlignedVector<float> v(n);
  for (auto& x : v) x = float(rng.uniform(lo, hi));
  return v;
}

constexpr size_t kActivations = 32 * 128;  // one hidden layer at batch 32

void BM_GeluForward(benchmark::State& s) {
  auto x = random_vector(kActivations, 1, -4, 4);
  AlignedVector<float> y(kActivations), slope(kActivations);
  for (auto _ : s) {
    if (s.range(0)) simd::gelu_forward(y.data(), slope.data(), x.data(), x.size());
    else scalar::gelu_forward(y.data(), slope.data(), x.data(), x.size());
    benchmark::DoNotOptimize(y.data());
  }
  s.SetItemsProcessed(s.iterations() * int64_t(kActivations));
}
BENCHMARK(BM_GeluForward)->ArgName("simd")->Arg(0)->Arg(1);

void BM_GeluBackward(benchmark::State& s) {
  auto x = random_vector(kActivations, 1, -4, 4), dy = random_vector(kActivations, 2);
  AlignedVector<float> dx(kActivations), y(kActivations), slope(kActivations);
  scalar::gelu_forward(y.data(), slope.data(), x.data(), x.size());
  for (auto _ : s) {
    if (s.range(0)) simd::gelu_backward(dx.data(), slope.data(), dy.data(), x.size());
    else scalar::gelu_backward(dx.data(), slope.data(), dy.data(), x.size());
    benchmark::DoNotOptimize(dx.data());
  }
  s.SetItemsProcessed(s.iterations() * int64_t(kActivations));
}
BENCHMARK(BM_GeluBackward)->ArgName("simd")->Arg(0)->Arg(1);

void BM_SinusoidalEmbedding(benchmark::State& s) {  // x, y and t of a batch of 32
  const auto freqs = sinusoidal_frequencies<float>(128);
  auto v = random_vector(96, 3, -4, 4);
  AlignedVector<float> out(96 * 128);
  for (auto _ : s) {
    if (s.range(0)) simd::sinusoidal_embedding(out.data(), 96, v.data(), 96, freqs.data(), 64, 25.0f);
    else scalar::sinusoidal_embedding(out.data(), 96, v.data(), 96, freqs.data(), 64, 25.0f);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_SinusoidalEmbedding)->ArgName("simd")->Arg(0)->Arg(1);

constexpr size_t kParams = 99074;  // the default model

void BM_AdamW(benchmark::State& s) {
  auto p = random_vector(kParams, 4), g = random_vector(kParams, 5);
  AlignedVector<float> m(kParams, 0.0f), v(kParams, 0.0f);
  long step = 0;
  for (auto _ : s) {
    ++step;
    if (s.range(0)) simd::adamw_update(p.data(), m.data(), v.data(), g.data(), kParams, 0.5f, 1e-3, 0.9, 0.999, 1e-8, 0.01, step);
    else scalar::adamw_update(p.data(), m.data(), v.data(), g.data(), kParams, 0.5f, 1e-3, 0.9, 0.999, 1e-8, 0.01, step);
    benchmark::DoNotOptimize(p.data());
  }
  s.SetItemsProcessed(s.iterations() * int64_t(kParams));
}
BENCHMARK(BM_AdamW)->ArgName("simd")->Arg(0)->Arg(1);

void BM_GradNorm(benchmark::State& s) {
  auto g = random_vector(kParams, 6);
  for (auto _ : s) {
    double n = s.range(0) ? simd::sum_squares(g.data(), kParams) : scalar::sum_squares(g.data(), kParams);
    benchmark::DoNotOptimize(n);
  }
  s.SetItemsProcessed(s.iterations() * int64_t(kParams));
}
BENCHMARK(BM_GradNorm)->ArgName("simd")->Arg(0)->Arg(1);

// The products of the first layer at batch 32: [32, 384] x [384, 128].
void BM_GemmFirstLayer(benchmark::State& s) {
  const size_t M = size_t(s.range(1)), N = 128, K = 384;
  auto a = random_vector(M * K, 7), b = random_vector(K * N, 8);
  AlignedVector<float> c(M * N, 0.0f);
  for (auto _ : s) {
    switch (s.range(0)) {
      case 0: scalar::gemm_accumulate(c.data(), N, a.data(), K, 1, b.data(), N, M, N, K); break;
      case 1: simd::gemm_accumulate(c.data(), N, a.data(), K, 1, b.data(), N, M, N, K); break;
      default: {
        using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        Eigen::Map<Mat>(c.data(), long(M), long(N)).noalias() +=
            Eigen::Map<const Mat>(a.data(), long(M), long(K)) * Eigen::Map<const Mat>(b.data(), long(K), long(N));
      }
    }
    benchmark::DoNotOptimize(c.data());
  }
  s.counters["GFLOP/s"] = benchmark::Counter(double(s.iterations()) * 2.0 * double(M * N * K), benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
}
BENCHMARK(BM_GemmFirstLayer)->ArgNames({"kernel", "M"})->ArgsProduct({{0, 1, 2}, {32, 1000}});

// The core's measured peak: 12 independent chains of fused multiply-adds
// on full SIMD registers, nothing loaded or stored (12 chains cover the FMA
// latency of two units). docs/performance.md sets it beside the nominal
// peak (clock x FMA units x lanes x 2).
void BM_FmaPeak(benchmark::State& s) {
  using V = xsimd::batch<float>;
  constexpr int kChains = 12;
  constexpr int64_t kIterations = 1 << 16;
  V acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = V(0.001f * float(i));
  const V a(0.999999f), b(1e-7f);
  for (auto _ : s) {
    for (int64_t k = 0; k < kIterations; ++k)
      for (int i = 0; i < kChains; ++i) acc[i] = xsimd::fma(acc[i], a, b);
    for (int i = 0; i < kChains; ++i) benchmark::DoNotOptimize(acc[i]);
  }
  s.counters["GFLOP/s"] = benchmark::Counter(double(s.iterations()) * kIterations * kChains * 2.0 * V::size,
                                             benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
}
BENCHMARK(BM_FmaPeak);

Diffusion& default_model() {
  static Diffusion model = [] {
    Diffusion m{DiffusionConfig{}};
    m.set_data(make_dataset("dino", 8000, 0));
    return m;
  }();
  return model;
}

void BM_MlpForward(benchmark::State& s) {  // batch 32, default model
  Mlp<float> mlp{ModelConfig{}};
  const auto& params = default_model().parameters();
  auto xy = random_vector(64, 9, -3, 3);
  std::vector<int> t(32, 17);
  for (auto _ : s) benchmark::DoNotOptimize(mlp.forward(params.data(), xy.data(), t.data(), 32));
}
BENCHMARK(BM_MlpForward);

void BM_MlpBackward(benchmark::State& s) {
  Mlp<float> mlp{ModelConfig{}};
  const auto& params = default_model().parameters();
  auto xy = random_vector(64, 9, -3, 3), dout = random_vector(64, 10);
  std::vector<int> t(32, 17);
  AlignedVector<float> grads(params.size(), 0.0f);
  mlp.forward(params.data(), xy.data(), t.data(), 32);
  for (auto _ : s) {
    mlp.backward(grads.data(), params.data(), dout.data(), 32);
    benchmark::DoNotOptimize(grads.data());
  }
}
BENCHMARK(BM_MlpBackward);

void BM_TrainingStep(benchmark::State& s) {  // one full optimizer step, batch 32
  Diffusion& model = default_model();
  for (auto _ : s) benchmark::DoNotOptimize(model.step());
  s.SetItemsProcessed(s.iterations());
}
BENCHMARK(BM_TrainingStep);

// A flow model's optimizer step, batch 32, with independent (0) or OT (1)
// coupling: what re-pairing each batch by the exact assignment adds.
void BM_FlowStep(benchmark::State& s) {
  DiffusionConfig config;
  config.schedule.objective = Objective::Flow;
  config.schedule.coupling = s.range(0) ? Coupling::Ot : Coupling::Independent;
  Diffusion model(config);
  model.set_points(make_points("dino", kDefaultDatasetSize, 0));
  for (auto _ : s) benchmark::DoNotOptimize(model.step());
  s.SetItemsProcessed(s.iterations());
}
BENCHMARK(BM_FlowStep)->ArgName("ot")->Arg(0)->Arg(1);

// The exact assignment of n noise points to n dino points (W2's, and at 32 a batch's).
void BM_Assignment(benchmark::State& s) {
  const size_t n = size_t(s.range(0));
  const std::vector<float> data = make_dataset("dino", int(n), 1);
  const auto noise = random_vector(2 * n, 12, -3, 3);
  for (auto _ : s) benchmark::DoNotOptimize(squared_distance_assignment(noise.data(), data.data(), n));
}
BENCHMARK(BM_Assignment)->ArgName("n")->Arg(32)->Arg(256)->Arg(1000)->Arg(2000)->Unit(benchmark::kMillisecond);

void BM_SamplingStep(benchmark::State& s) {  // the network on 1000 points at one t
  Diffusion& model = default_model();
  auto xy = random_vector(2000, 11, -3, 3);
  for (auto _ : s) benchmark::DoNotOptimize(model.predict_noise(xy.data(), 1000, 25));
}
BENCHMARK(BM_SamplingStep);

}  // namespace

BENCHMARK_MAIN();
