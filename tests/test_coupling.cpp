// The OT coupling of flow-matching batches (Coupling::Ot): the re-paired
// noise is a permutation of the drawn noise, within each class, of least
// total squared distance (brute force on small batches); the config's
// check; a flow model trains with it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "diffusion/coupling.hpp"
#include "tinydiff/config.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/rng.hpp"

namespace tinydiff {
namespace {

double pair_cost(const std::vector<float>& x0, const std::vector<float>& noise) {
  double sum = 0;
  for (size_t i = 0; i < x0.size(); ++i) sum += std::pow(double(x0[i]) - noise[i], 2);
  return sum;
}

std::vector<std::pair<float, float>> rows_of(const std::vector<float>& xy) {
  std::vector<std::pair<float, float>> rows;
  for (size_t i = 0; i < xy.size(); i += 2) rows.emplace_back(xy[i], xy[i + 1]);
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(Coupling, TheBatchIsRepairedAtLeastCost) {
  Rng rng(5);
  const int B = 6;
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<float> x0(2 * B), noise(2 * B);
    for (auto& v : x0) v = float(rng.uniform(-3.0, 3.0));
    rng.fill_normal(noise.data(), noise.size());
    const std::vector<float> drawn = noise;
    CouplingScratch scratch;
    couple_noise_to_data(x0.data(), noise.data(), nullptr, B, scratch);
    EXPECT_EQ(rows_of(noise), rows_of(drawn));  // the same noise, re-paired
    // No pairing of the drawn noise costs less.
    std::vector<int> p(B);
    std::iota(p.begin(), p.end(), 0);
    double best = std::numeric_limits<double>::infinity();
    do {
      std::vector<float> q(2 * B);
      for (int b = 0; b < B; ++b) {
        q[2 * b] = drawn[2 * p[b]];
        q[2 * b + 1] = drawn[2 * p[b] + 1];
      }
      best = std::min(best, pair_cost(x0, q));
    } while (std::next_permutation(p.begin(), p.end()));
    EXPECT_NEAR(pair_cost(x0, noise), best, 1e-9);
    EXPECT_LE(pair_cost(x0, noise), pair_cost(x0, drawn) + 1e-9);
  }
}

TEST(Coupling, NoPairCrossesAClass) {
  Rng rng(6);
  const int B = 32;
  std::vector<float> x0(2 * B), noise(2 * B);
  std::vector<int> labels(B);
  for (int b = 0; b < B; ++b) labels[size_t(b)] = int(rng.below(3));
  for (auto& v : x0) v = float(rng.normal());
  rng.fill_normal(noise.data(), noise.size());
  const std::vector<float> drawn = noise;
  CouplingScratch scratch;
  couple_noise_to_data(x0.data(), noise.data(), labels.data(), B, scratch);
  for (int k = 0; k < 3; ++k) {
    std::vector<float> before, after;
    for (int b = 0; b < B; ++b) {
      if (labels[size_t(b)] != k) continue;
      before.insert(before.end(), {drawn[2 * b], drawn[2 * b + 1]});
      after.insert(after.end(), {noise[2 * b], noise[2 * b + 1]});
    }
    EXPECT_EQ(rows_of(after), rows_of(before)) << "class " << k;
  }
}

TEST(Coupling, OtIsTheFlowObjectivesAndTrains) {
  DiffusionConfig config;
  config.schedule.coupling = Coupling::Ot;
  try {
    validate(config);
    FAIL() << "ot was accepted for the eps objective";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "coupling ot pairs noise with data for the flow objective: set objective to flow");
  }
  EXPECT_EQ(parse_coupling("ot"), Coupling::Ot);
  EXPECT_THROW(parse_coupling("sinkhorn"), ConfigError);
  config.schedule.objective = Objective::Flow;
  config.model.hidden_size = 16;
  Diffusion model(config);
  model.set_points(make_points("moons", 200, 1));
  EXPECT_TRUE(std::isfinite(model.train(50)));
  // And with classes, within each.
  config.model.num_classes = 2;
  Diffusion labelled(config);
  labelled.set_points(make_points("two_moons", 200, 1));
  EXPECT_TRUE(std::isfinite(labelled.train(50)));
}

}  // namespace
}  // namespace tinydiff
