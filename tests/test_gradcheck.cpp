// Finite-difference checks of the hand-written backward pass, in double
// precision, on random small networks of every embedding kind.
#include <gtest/gtest.h>

#include <cmath>

#include "tinydiff/mlp.hpp"
#include "tinydiff/rng.hpp"

namespace tinydiff {
namespace {

struct GradCase {
  EmbeddingKind time, input;
};

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
    const int B = 2 + int(rng.below(4));
    const int T = 50;

    Mlp<double> mlp(config);
    const size_t P = mlp.num_params();
    std::vector<double> params(P);
    init_parameters(params.data(), mlp.layout(), rng);
    std::vector<double> xy(2 * B), target(2 * B);
    std::vector<int> t(B);
    for (auto& v : xy) v = rng.uniform(-2.0, 2.0);
    for (auto& v : target) v = rng.normal();
    for (auto& v : t) v = int(rng.below(T));

    auto loss_at = [&](const std::vector<double>& p) {
      const double* out = mlp.forward(p.data(), xy.data(), t.data(), B);
      return mse_loss<double>(nullptr, out, target.data(), B);
    };
    const double* out = mlp.forward(params.data(), xy.data(), t.data(), B);
    std::vector<double> d_out(2 * B), grads(P, 0.0);
    mse_loss(d_out.data(), out, target.data(), B);
    mlp.backward(grads.data(), params.data(), d_out.data(), B);

    // The other two ways the same backward runs: Overwrite into garbage
    // gives exactly these gradients (every element written, nothing read),
    // and Accumulate on top of them doubles them (to rounding: the products
    // are summed onto the first gradients term by term).
    // Both also report the squared norm of the gradients they leave behind.
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
          << to_string(c.time) << ", input " << to_string(c.input) << ")";
    }
  }
}

std::vector<GradCase> all_cases() {
  std::vector<GradCase> cases;
  for (auto time : {EmbeddingKind::Sinusoidal, EmbeddingKind::Learnable, EmbeddingKind::Linear,
                    EmbeddingKind::Zero})
    for (auto input : {EmbeddingKind::Sinusoidal, EmbeddingKind::Learnable,
                       EmbeddingKind::Linear, EmbeddingKind::Identity})
      cases.push_back({time, input});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(EveryEmbeddingPair, GradCheck, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<GradCase>& info) {
                           return "time_" + to_string(info.param.time) + "_input_" +
                                  to_string(info.param.input);
                         });

}  // namespace
}  // namespace tinydiff

namespace tinydiff {
namespace {

// Sampling folds a shared timestep's embedding into the first layer's bias;
// it must agree with the general path that embeds t for every point.
TEST(Mlp, SharedTimestepMatchesPerPointTimesteps) {
  for (auto time : {EmbeddingKind::Sinusoidal, EmbeddingKind::Learnable, EmbeddingKind::Linear,
                    EmbeddingKind::Zero}) {
    ModelConfig config;
    config.time_embedding = time;
    config.hidden_size = 48;
    config.hidden_layers = 2;
    config.embedding_size = 32;
    Mlp<float> mlp(config);
    Rng rng(21);
    std::vector<float> params(mlp.num_params());
    init_parameters(params.data(), mlp.layout(), rng);
    const int B = 37;
    std::vector<float> xy(2 * B);
    for (auto& v : xy) v = float(rng.uniform(-3, 3));
    for (int t : {0, 17, 49}) {
      std::vector<int> ts(B, t);
      const float* general = mlp.forward(params.data(), xy.data(), ts.data(), B);
      const std::vector<float> expected(general, general + 2 * B);
      const float* shared = mlp.forward_shared_t(params.data(), xy.data(), t, B);
      for (int i = 0; i < 2 * B; ++i)
        ASSERT_NEAR(shared[i], expected[i], 1e-5) << to_string(time) << " t=" << t << " i=" << i;
    }
  }
}

}  // namespace
}  // namespace tinydiff
