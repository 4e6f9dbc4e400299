// Reflow: the pairs are the noise a solve starts from and where it ends;
// a model trains on fixed pairs (and refuses what it cannot take); a model
// reflowed from a flow model's pairs takes straighter paths and samples
// better in one Euler step than the model it came from.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tinydiff/config.hpp"
#include "test_support.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/metrics.hpp"
#include "tinydiff/reflow.hpp"

namespace tinydiff {
namespace {

SampleOptions euler(int steps) {
  SampleOptions o;
  o.sampler = Sampler::Euler;
  o.steps = steps;
  return o;
}

TEST(Reflow, PairsAreASolvesStartAndEnd) {
  Diffusion model(testing::small_flow_config(1));
  model.set_points(make_points("moons", 300, 2));
  model.train(200);
  const SampleOptions heun = [] { SampleOptions o; o.sampler = Sampler::Heun; o.steps = 8; return o; }();
  const ReflowPairs pairs = make_reflow_pairs(model, 50, 9, heun);
  std::vector<float> frames;
  const std::vector<float> end = model.sample(50, 9, &frames, heun);
  EXPECT_EQ(pairs.xy, end);
  EXPECT_EQ(pairs.noise, std::vector<float>(frames.begin(), frames.begin() + 100));
  EXPECT_TRUE(pairs.labels.empty());
  DiffusionConfig eps;
  Diffusion noise_model(eps);
  noise_model.set_points(make_points("moons", 300, 2));
  EXPECT_THROW(make_reflow_pairs(noise_model, 10, 1, SampleOptions{}), ConfigError);
}

TEST(Reflow, TrainsOnFixedPairsAndRefusesWhatItCannot) {
  Diffusion model(testing::small_flow_config(1));
  const std::vector<float> xy{0, 0, 1, 1, 2, 2}, noise{1, 0, 0, 1, 1, 1};
  model.set_pairs(xy, noise);
  EXPECT_TRUE(model.has_pairs());
  EXPECT_TRUE(std::isfinite(model.train(20)));
  EXPECT_THROW(model.set_pairs(xy, {1, 0}), ConfigError);
  model.set_points(make_points("moons", 30, 1));  // new points: no pairs
  EXPECT_FALSE(model.has_pairs());
  DiffusionConfig ot = testing::small_flow_config(1);
  ot.schedule.coupling = Coupling::Ot;
  Diffusion coupled(ot);
  EXPECT_THROW(coupled.set_pairs(xy, noise), ConfigError);
}

TEST(Reflow, TheReflowedModelSamplesBetterInOneStep) {
  const PointSet data = make_points("moons", 2000, 3);
  Diffusion teacher(testing::small_flow_config(1));
  teacher.set_points(data);
  teacher.train(3000);
  SampleOptions solve;
  solve.sampler = Sampler::Heun;
  solve.steps = 20;
  const ReflowPairs pairs = make_reflow_pairs(teacher, 2000, 5, solve);
  Diffusion student(testing::small_flow_config(1));
  student.set_pairs(pairs.xy, pairs.noise);
  student.train(3000);
  const auto w2_one_step = [&](Diffusion& m) {
    const std::vector<float> s = m.sample(1000, 77, nullptr, euler(1));
    return wasserstein2(s.data(), 1000, data.xy.data(), data.size(), 1);
  };
  const auto straight = [&](Diffusion& m) {
    std::vector<float> frames;
    m.sample(500, 78, &frames, euler(32));
    return straightness(frames.data(), 32, 500);
  };
  const double before = w2_one_step(teacher), after = w2_one_step(student);
  EXPECT_LT(after, 0.7 * before) << "one Euler step: W2 " << before << " -> " << after;
  EXPECT_LT(straight(student), 0.5 * straight(teacher));
}

}  // namespace
}  // namespace tinydiff
