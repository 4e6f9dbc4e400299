// The network (internal/mlp.hpp): finite-difference checks of the
// hand-written backward pass in double precision, and the fast path held to
// the plain Eigen reference (internal/reference_mlp.hpp), on random networks
// of every embedding pair; the reference itself checked by finite differences.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "internal/mlp.hpp"
#include "internal/reference_mlp.hpp"
#include "tinydiff/rng.hpp"

namespace tinydiff {
namespace {

struct GradCase {
  EmbeddingKind time, input;
  int num_classes = 0;  // > 0: the conditional network (a class table), labels 0..K (K: no class)
};

// The other two ways the same backward runs: Overwrite into garbage gives
// exactly `grads` (every element written, nothing read), and Accumulate on
// top of them doubles them (to rounding: the products are summed onto the
// first gradients term by term). Both also report the squared norm of the
// gradients they leave behind.
void check_gradient_modes(Mlp<double>& mlp, const std::vector<double>& params, const std::vector<double>& d_out,
                          const std::vector<double>& grads, int B) {
  const size_t P = grads.size();
  std::vector<double> overwritten(P, std::nan(""));
  double squares = 0;
  mlp.backward(overwritten.data(), params.data(), d_out.data(), B, GradientMode::Overwrite, &squares);
  ASSERT_EQ(overwritten, grads) << "Overwrite differs from zero + Accumulate";
  double expected_squares = 0;
  for (double g : grads) expected_squares += g * g;
  EXPECT_NEAR(squares, expected_squares, 1e-12 * expected_squares);
  squares = 0;
  mlp.backward(overwritten.data(), params.data(), d_out.data(), B, GradientMode::Accumulate, &squares);
  EXPECT_NEAR(squares, 4 * expected_squares, 1e-11 * expected_squares);
  for (size_t i = 0; i < P; ++i)
    ASSERT_NEAR(overwritten[i], 2 * grads[i], 1e-12 * (1 + std::fabs(grads[i]))) << "parameter " << i;
}

class GradCheck : public ::testing::TestWithParam<GradCase> {};

TEST_P(GradCheck, MatchesCentralDifferences) {
  const GradCase c = GetParam();
  Rng rng(1234 + int(c.time) * 7 + int(c.input));
  for (int trial = 0; trial < 3; ++trial) {
    ModelConfig config;
    config.time_embedding = c.time;
    config.input_embedding = c.input;
    config.hidden_size = 3 + int(rng.below(5));      // 3..7
    config.hidden_layers = int(rng.below(4));        // 0..3
    config.embedding_size = 4 + 2 * int(rng.below(3));  // 4, 6, 8
    config.num_classes = c.num_classes;
    const int B = 2 + int(rng.below(4));
    const int T = 50;

    Mlp<double> mlp(config);
    const size_t P = mlp.num_params();
    std::vector<double> params(P);
    init_parameters(params.data(), mlp.layout(), rng);
    std::vector<double> xy(2 * B), target(2 * B);
    std::vector<int> t(B), labels(B);
    for (auto& v : xy) v = rng.uniform(-2.0, 2.0);
    for (auto& v : target) v = rng.normal();
    for (auto& v : t) v = int(rng.below(T));
    for (auto& v : labels) v = int(rng.below(uint64_t(c.num_classes + 1)));

    auto loss_at = [&](const std::vector<double>& p) {
      const double* out = mlp.forward(p.data(), xy.data(), t.data(), B, labels.data());
      return mse_loss<double>(nullptr, out, target.data(), B);
    };
    const double* out = mlp.forward(params.data(), xy.data(), t.data(), B, labels.data());
    std::vector<double> d_out(2 * B), grads(P, 0.0);
    mse_loss(d_out.data(), out, target.data(), B);
    mlp.backward(grads.data(), params.data(), d_out.data(), B);

    check_gradient_modes(mlp, params, d_out, grads, B);

    // Central differences; tolerance |analytic - numeric| <= 1e-6 + 1e-5 |numeric|
    // (h = 1e-5 leaves truncation error ~h^2 and rounding ~1e-11 / h).
    const double h = 1e-5;
    for (size_t i = 0; i < P; ++i) {
      std::vector<double> p = params;
      p[i] = params[i] + h;
      const double up = loss_at(p);
      p[i] = params[i] - h;
      const double down = loss_at(p);
      const double numeric = (up - down) / (2 * h);
      ASSERT_NEAR(grads[i], numeric, 1e-6 + 1e-5 * std::fabs(numeric))
          << "parameter " << i << " of " << P << " (trial " << trial << ", time "
          << to_string(c.time) << ", input " << to_string(c.input) << ", " << c.num_classes << " classes)";
    }
  }
}

// A random small network and batch for one embedding pair.
struct Problem {
  ModelConfig config;
  int B = 0;
  std::vector<double> params, xy, target;
  std::vector<int> t, labels;
};

Problem random_problem(const GradCase& c, Rng& rng, int hidden, int layers, int embedding, int B) {
  Problem p;
  p.config.time_embedding = c.time;
  p.config.input_embedding = c.input;
  p.config.hidden_size = hidden;
  p.config.hidden_layers = layers;
  p.config.embedding_size = embedding;
  p.config.num_classes = c.num_classes;
  p.B = B;
  const MlpLayout layout(p.config);
  p.params.resize(layout.num_params);
  init_parameters(p.params.data(), layout, rng);
  p.xy.resize(2 * size_t(B));
  p.target.resize(2 * size_t(B));
  p.t.resize(size_t(B));
  p.labels.resize(size_t(B));
  for (auto& v : p.xy) v = rng.uniform(-2.0, 2.0);
  for (auto& v : p.target) v = rng.normal();
  for (auto& v : p.t) v = int(rng.below(50));
  for (auto& v : p.labels) v = int(rng.below(uint64_t(c.num_classes + 1)));
  return p;
}

// The Eigen reference's own gradients against central differences (same
// step and tolerance as the fast path's check above).
TEST_P(GradCheck, ReferenceMatchesCentralDifferences) {
  const GradCase c = GetParam();
  Rng rng(99 + int(c.time) * 7 + int(c.input));
  for (int trial = 0; trial < 2; ++trial) {
    Problem p = random_problem(c, rng, 3 + int(rng.below(5)), int(rng.below(4)), 4 + 2 * int(rng.below(3)),
                               2 + int(rng.below(4)));
    ReferenceMlp ref(p.config);
    auto loss_at = [&](const std::vector<double>& params) {
      const auto out = ref.forward(params.data(), p.xy.data(), p.t.data(), p.B, p.labels.data());
      return mse_loss<double>(nullptr, out.data(), p.target.data(), p.B);
    };
    const auto out = ref.forward(p.params.data(), p.xy.data(), p.t.data(), p.B, p.labels.data());
    std::vector<double> d_out(2 * size_t(p.B));
    mse_loss(d_out.data(), out.data(), p.target.data(), p.B);
    const auto grads = ref.backward(p.params.data(), d_out.data());
    const double h = 1e-5;
    for (size_t i = 0; i < p.params.size(); ++i) {
      std::vector<double> q = p.params;
      q[i] = p.params[i] + h;
      const double up = loss_at(q);
      q[i] = p.params[i] - h;
      const double numeric = (up - loss_at(q)) / (2 * h);
      ASSERT_NEAR(grads[i], numeric, 1e-6 + 1e-5 * std::fabs(numeric)) << "parameter " << i;
    }
  }
}

// The fast path (xsimd kernels, feature-major, padded batches) computes what
// the reference computes: in double to rounding (1e-12 relative to the
// tensor's largest value), in float to float precision (2e-5 of it), on
// networks big enough to use every kernel's main loop and tails.
TEST_P(GradCheck, FastPathMatchesTheEigenReference) {
  const GradCase c = GetParam();
  Rng rng(5 + int(c.time) * 7 + int(c.input));
  Problem p = random_problem(c, rng, 40, 2, 16, 37);
  ReferenceMlp ref(p.config);
  const auto ref_out = ref.forward(p.params.data(), p.xy.data(), p.t.data(), p.B, p.labels.data());
  std::vector<double> d_out(2 * size_t(p.B));
  mse_loss(d_out.data(), ref_out.data(), p.target.data(), p.B);
  const auto ref_grads = ref.backward(p.params.data(), d_out.data());
  const MlpLayout& layout = ref.layout();

  auto expect_close = [&](const auto& got, const std::vector<double>& want, double rel, const char* what) {
    for (const TensorInfo& info : layout.tensors) {
      double largest = 0;
      for (size_t i = info.offset; i < info.offset + info.size; ++i) largest = std::max(largest, std::fabs(want[i]));
      for (size_t i = info.offset; i < info.offset + info.size; ++i)
        ASSERT_NEAR(double(got[i]), want[i], rel * (largest + 1e-30)) << what << " " << info.name << "[" << i - info.offset << "]";
    }
  };

  Mlp<double> fast(p.config);
  const double* out = fast.forward(p.params.data(), p.xy.data(), p.t.data(), p.B, p.labels.data());
  for (int i = 0; i < 2 * p.B; ++i) ASSERT_NEAR(out[i], ref_out[size_t(i)], 1e-12 * (1 + std::fabs(ref_out[size_t(i)])));
  std::vector<double> grads(layout.num_params);
  fast.backward(grads.data(), p.params.data(), d_out.data(), p.B, GradientMode::Overwrite);
  expect_close(grads, ref_grads, 1e-12, "double");

  Mlp<float> fast_float(p.config);
  const std::vector<float> params(p.params.begin(), p.params.end()), xy(p.xy.begin(), p.xy.end()),
      d_out_float(d_out.begin(), d_out.end());
  const float* out_float = fast_float.forward(params.data(), xy.data(), p.t.data(), p.B, p.labels.data());
  for (int i = 0; i < 2 * p.B; ++i) ASSERT_NEAR(out_float[i], ref_out[size_t(i)], 2e-5 * (1 + std::fabs(ref_out[size_t(i)])));
  std::vector<float> grads_float(layout.num_params);
  fast_float.backward(grads_float.data(), params.data(), d_out_float.data(), p.B, GradientMode::Overwrite);
  expect_close(grads_float, ref_grads, 2e-5, "float");
}

std::vector<GradCase> all_cases() {
  std::vector<GradCase> cases;
  for (auto time : {EmbeddingKind::Sinusoidal, EmbeddingKind::Learnable, EmbeddingKind::Linear,
                    EmbeddingKind::Zero})
    for (auto input : {EmbeddingKind::Sinusoidal, EmbeddingKind::Learnable,
                       EmbeddingKind::Linear, EmbeddingKind::Identity})
      cases.push_back({time, input});
  for (auto time : {EmbeddingKind::Sinusoidal, EmbeddingKind::Learnable})
    for (auto input : {EmbeddingKind::Sinusoidal, EmbeddingKind::Learnable}) cases.push_back({time, input, 3});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(EveryEmbeddingPair, GradCheck, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<GradCase>& info) {
                           return "time_" + to_string(info.param.time) + "_input_" +
                                  to_string(info.param.input) +
                                  (info.param.num_classes ? "_classes_" + std::to_string(info.param.num_classes) : "");
                         });

}  // namespace
}  // namespace tinydiff

namespace tinydiff {
namespace {

// Sampling folds a shared timestep's embedding into the first layer's bias
// (and with classes each class's share of the first layer into one vector
// per class); it must agree with the general path that embeds t and the
// label for every point.
TEST(Mlp, SharedTimestepMatchesPerPointTimesteps) {
  for (int classes : {0, 4}) {
    for (auto time : {EmbeddingKind::Sinusoidal, EmbeddingKind::Learnable, EmbeddingKind::Linear,
                      EmbeddingKind::Zero}) {
      ModelConfig config;
      config.time_embedding = time;
      config.hidden_size = 48;
      config.hidden_layers = 2;
      config.embedding_size = 32;
      config.num_classes = classes;
      Mlp<float> mlp(config);
      Rng rng(21);
      std::vector<float> params(mlp.num_params());
      init_parameters(params.data(), mlp.layout(), rng);
      const int B = 37;
      std::vector<float> xy(2 * B);
      std::vector<int> labels(B);
      for (auto& v : xy) v = float(rng.uniform(-3, 3));
      for (auto& v : labels) v = int(rng.below(uint64_t(classes + 1)));
      const int* l = classes ? labels.data() : nullptr;
      for (int t : {0, 17, 49}) {
        std::vector<int> ts(B, t);
        const float* general = mlp.forward(params.data(), xy.data(), ts.data(), B, l);
        const std::vector<float> expected(general, general + 2 * B);
        const float* shared = mlp.forward_shared_t(params.data(), xy.data(), t, B, l);
        for (int i = 0; i < 2 * B; ++i)
          ASSERT_NEAR(shared[i], expected[i], 1e-5) << to_string(time) << " classes=" << classes << " t=" << t << " i=" << i;
      }
      if (!classes) continue;
      // No labels means "no class" (row K) for every point.
      const std::vector<int> none(B, classes), ts(B, 5);
      const float* by_row = mlp.forward(params.data(), xy.data(), ts.data(), B, none.data());
      const std::vector<float> expected(by_row, by_row + 2 * B);
      const float* by_null = mlp.forward(params.data(), xy.data(), ts.data(), B);
      for (int i = 0; i < 2 * B; ++i) ASSERT_EQ(by_null[i], expected[i]);
    }
  }
}

}  // namespace
}  // namespace tinydiff
