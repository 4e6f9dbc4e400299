// The exact log-density: the network's input Jacobian (forward mode) against
// finite differences of the Eigen reference network, for every input
// embedding; a flow model's velocity and divergence against its predict();
// the change-of-variables integrators (a flow's, and a noise prediction's
// probability-flow ODE) on Gaussian data with their exact fields against the
// closed forms; a trained model's density integrating to 1 over the plane,
// for both objectives.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "internal/mlp.hpp"
#include "internal/reference_mlp.hpp"
#include "tinydiff/config.hpp"
#include "test_support.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/flow_density.hpp"
#include "tinydiff/probability_flow_density.hpp"
#include "tinydiff/rng.hpp"

namespace tinydiff {
namespace {

TEST(LogDensity, InputJacobianMatchesTheReferenceByFiniteDifferences) {
  for (EmbeddingKind kind : {EmbeddingKind::Sinusoidal, EmbeddingKind::Linear, EmbeddingKind::Learnable,
                             EmbeddingKind::Identity}) {
    ModelConfig config;
    config.hidden_size = 12;
    config.hidden_layers = 2;
    config.embedding_size = 8;
    config.input_embedding = kind;
    Mlp<double> mlp(config);
    ReferenceMlp reference(config);
    std::vector<double> params(mlp.num_params());
    Rng rng(7 + int(kind));
    init_parameters(params.data(), mlp.layout(), rng);
    const int B = 5;
    std::vector<double> xy(2 * B);
    std::vector<int> t(B);
    for (auto& v : xy) v = rng.uniform(-2.0, 2.0);
    for (auto& v : t) v = int(rng.below(50));
    mlp.forward(params.data(), xy.data(), t.data(), B);
    std::vector<double> jac(4 * B);
    mlp.input_jacobian(params.data(), B, jac.data());
    // Central differences of the reference network, in double: error ~ h^2 f'''.
    const double h = 1e-5;
    for (int b = 0; b < B; ++b) {
      for (int coordinate = 0; coordinate < 2; ++coordinate) {
        std::vector<double> plus = xy, minus = xy;
        plus[2 * b + coordinate] += h;
        minus[2 * b + coordinate] -= h;
        const auto up = reference.forward(params.data(), plus.data(), t.data(), B);
        const auto down = reference.forward(params.data(), minus.data(), t.data(), B);
        for (int out = 0; out < 2; ++out) {
          const double fd = (up[2 * b + out] - down[2 * b + out]) / (2 * h);
          EXPECT_NEAR(jac[4 * b + 2 * out + coordinate], fd, 1e-6 * (1 + std::abs(fd)))
              << "embedding " << to_string(kind) << ", point " << b << ", d out_" << out << " / d x_" << coordinate;
        }
      }
    }
  }
}

TEST(LogDensity, AFlowModelsVelocityIsItsPredictionAndItsDivergenceItsJacobiansTrace) {
  Diffusion model(testing::small_flow_config(2));
  model.set_points(make_points("moons", 500, 1));
  model.train(300);
  const std::vector<float> xy{0.5f, -0.2f, -1.0f, 1.5f, 2.0f, 0.3f};
  std::vector<float> v(6);
  std::vector<double> div(3);
  model.velocity_and_divergence(xy.data(), 3, 0.4, v.data(), div.data());
  EXPECT_EQ(v, model.predict(xy.data(), 3, 0.4));
  // Central differences of predict() in float: h = 1e-3 balances rounding and curvature.
  const float h = 1e-3f;
  for (int b = 0; b < 3; ++b) {
    double fd = 0;
    for (int coordinate = 0; coordinate < 2; ++coordinate) {
      std::vector<float> plus = xy, minus = xy;
      plus[2 * b + coordinate] += h;
      minus[2 * b + coordinate] -= h;
      fd += (model.predict(plus.data(), 3, 0.4)[2 * b + coordinate] - model.predict(minus.data(), 3, 0.4)[2 * b + coordinate]) / (2 * h);
    }
    EXPECT_NEAR(div[b], fd, 0.02 * (1 + std::abs(fd))) << "point " << b;
  }
  DiffusionConfig eps;
  Diffusion noise_model(eps);
  EXPECT_THROW(noise_model.velocity_and_divergence(xy.data(), 3, 0.4, v.data(), div.data()), ConfigError);
}

// Data N(mu, sigma^2 I) on the path x_t = (1 - t) x0 + t eps has marginals
// N((1 - t) mu, s_t^2 I) with s_t^2 = (1 - t)^2 sigma^2 + t^2, and exact
// velocity v = -mu + (s_t' / s_t) (x - (1 - t) mu), whose divergence is 2 s_t' / s_t.
TEST(LogDensity, GaussianDataWithItsExactVelocityGivesTheClosedForm) {
  const double mu[2] = {1.5, -0.5}, sigma = 0.4;
  const VelocityField gaussian = [&](const double* x, int n, double t, double* v, double* div) {
    const double s2 = (1 - t) * (1 - t) * sigma * sigma + t * t;
    const double rate = (t - (1 - t) * sigma * sigma) / s2;  // s_t' / s_t
    for (int i = 0; i < n; ++i) {
      for (int d = 0; d < 2; ++d) v[2 * i + d] = -mu[d] + rate * (x[2 * i + d] - (1 - t) * mu[d]);
      div[i] = 2 * rate;
    }
  };
  const std::vector<float> xy{1.5f, -0.5f, 2.0f, 0.0f, 0.7f, -1.2f, 3.0f, 1.0f};
  const auto log_p = log_density_along_flow(xy.data(), 4, gaussian, 100);
  for (int i = 0; i < 4; ++i) {
    const double dx = xy[2 * i] - mu[0], dy = xy[2 * i + 1] - mu[1];
    const double exact = -(dx * dx + dy * dy) / (2 * sigma * sigma) - std::log(2 * M_PI * sigma * sigma);
    EXPECT_NEAR(log_p[i], exact, 1e-6) << "point " << i;
  }
  EXPECT_THROW(log_density_along_flow(xy.data(), 4, gaussian, 0), ConfigError);
}

TEST(LogDensity, ContinuousTimestepsInterpolateTheScheduleAndInvert) {
  const NoiseSchedule schedule(ScheduleConfig{});
  EXPECT_EQ(alpha_bar_at(schedule, -1), 1.0);
  for (int t : {0, 1, 17, 49}) EXPECT_NEAR(alpha_bar_at(schedule, t), schedule.alphas_cumprod[size_t(t)], 1e-12);
  const double between = alpha_bar_at(schedule, 17.25);
  EXPECT_LT(between, schedule.alphas_cumprod[17]);
  EXPECT_GT(between, schedule.alphas_cumprod[18]);
  for (double tau : {-1.0, -0.5, 0.0, 3.7, 17.25, 48.9, 49.0}) {
    EXPECT_NEAR(timestep_of_alpha_bar(schedule, alpha_bar_at(schedule, tau)), tau, 1e-9) << "tau " << tau;
  }
}

// Data N(mu, s^2 I) noised as x = sqrt(a) x0 + sqrt(1 - a) eps has marginals
// N(sqrt(a) mu, (a s^2 + 1 - a) I) and exact noise prediction E[eps | x] =
// sqrt(1 - a) (x - sqrt(a) mu) / (a s^2 + 1 - a). Its probability-flow ODE in
// y = x / sqrt(a), sigma^2 = 1 / a - 1 keeps z = (y - mu) / sqrt(s^2 + sigma^2),
// so from x_{T-1} ~ N(0, I) the model's density at x0 is N(x_end; 0, I) times
// |d x_end / d x0| = (sqrt(a_end) sqrt(s^2 + sigma_max^2) / s)^2, with
// x_end = sqrt(a_end) (mu + sqrt(s^2 + sigma_max^2) / s (x0 - mu)).
TEST(LogDensity, GaussianDataWithItsExactNoisePredictionGivesTheClosedForm) {
  const NoiseSchedule schedule(ScheduleConfig{});
  const double mu[2] = {1.5, -0.5}, s = 0.4;
  const NoiseField gaussian = [&](const double* x, int n, double tau, double* eps, double* div) {
    const double a = alpha_bar_at(schedule, tau), var = a * s * s + 1 - a;
    for (int i = 0; i < n; ++i) {
      for (int d = 0; d < 2; ++d) eps[2 * i + d] = std::sqrt(1 - a) * (x[2 * i + d] - std::sqrt(a) * mu[d]) / var;
      div[i] = 2 * std::sqrt(1 - a) / var;
    }
  };
  const std::vector<float> xy{1.5f, -0.5f, 2.0f, 0.0f, 0.7f, -1.2f, 3.0f, 1.0f};
  const auto log_p = log_density_along_probability_flow(xy.data(), 4, gaussian, schedule, 100);
  const double a_end = schedule.alphas_cumprod.back(), spread = std::sqrt(s * s + 1 / a_end - 1) / s;
  for (int i = 0; i < 4; ++i) {
    double r2 = 0;
    for (int d = 0; d < 2; ++d) {
      const double x_end = std::sqrt(a_end) * (mu[d] + spread * (xy[2 * i + d] - mu[d]));
      r2 += x_end * x_end;
    }
    const double exact = -r2 / 2 - std::log(2 * M_PI) + std::log(a_end * spread * spread);
    EXPECT_NEAR(log_p[i], exact, 1e-6) << "point " << i;
  }
  EXPECT_THROW(log_density_along_probability_flow(xy.data(), 4, gaussian, schedule, 0), ConfigError);
}

// The plane [-6, 6]^2 in cells of 0.2: the sum of p times the cell's area.
double mass_on_the_plane(Diffusion& model, int steps) {
  const int side = 60;
  const double cell = 12.0 / side;
  std::vector<float> grid;
  for (int i = 0; i < side; ++i) {
    for (int j = 0; j < side; ++j) {
      grid.push_back(float(-6 + (i + 0.5) * cell));
      grid.push_back(float(-6 + (j + 0.5) * cell));
    }
  }
  const auto log_p = model.log_density(grid.data(), side * side, steps);
  double mass = 0;
  for (double l : log_p) mass += std::exp(l) * cell * cell;
  return mass;
}

TEST(LogDensity, ATrainedModelsDensityIntegratesToOne) {
  for (Objective objective : {Objective::Flow, Objective::Eps}) {
    DiffusionConfig config = testing::small_flow_config(2);
    config.schedule.objective = objective;
    Diffusion model(config);
    model.set_points(make_points("moons", 2000, 1));
    model.train(2000);
    const double mass = mass_on_the_plane(model, 25);
    EXPECT_NEAR(mass, 1.0, 0.1) << to_string(objective);
    // The data are likelier than the plane's corners.
    const std::vector<float> near(model.data().begin(), model.data().begin() + 2), far{5.5f, 5.5f};
    EXPECT_GT(model.log_density(near.data(), 1, 25)[0], model.log_density(far.data(), 1, 25)[0] + 5)
        << to_string(objective);
  }
}

TEST(LogDensity, AModelWithClassesHasNone) {
  Diffusion model(testing::small_config(1, Objective::Eps, 2));
  const std::vector<float> xy{0.0f, 0.0f};
  EXPECT_TRUE(testing::contains(testing::error_of([&] { model.log_density(xy.data(), 1, 10); }), "classes"));
}

}  // namespace
}  // namespace tinydiff
