// Conditional models (num_classes > 0): labelled data, class dropout,
// classifier-free guidance (exact at w = 0 and 1), the classes of samples,
// the ideal denoiser per class, and model files with a class table.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "test_support.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/metrics.hpp"
#include "tinydiff/model_file.hpp"

namespace tinydiff {
namespace {

DiffusionConfig conditional_config(int classes = 2, Objective objective = Objective::Eps) {
  return testing::small_config(3, objective, classes);
}

using testing::error_of;

TEST(Classes, LabelsAreCheckedAgainstTheModel) {
  Diffusion model(conditional_config(2));
  const std::vector<float> xy{0, 0, 1, 1, 2, 2};
  EXPECT_NE(error_of([&] { model.set_data(xy); }).find("needs one label per point (got 0 labels for 3 points)"),
            std::string::npos);
  EXPECT_NE(error_of([&] { model.set_data(xy, {0, 1}); }).find("got 2 labels for 3 points"), std::string::npos);
  EXPECT_NE(error_of([&] { model.set_data(xy, {0, 2, 1}); }).find("label 2 of point 2 is not a class of this model (0 to 1)"),
            std::string::npos);
  EXPECT_NE(error_of([&] { model.set_data(xy, {0, -1, 1}); }).find("label -1 of point 2"), std::string::npos);
  model.set_data(xy, {0, 1, 1});
  EXPECT_NEAR(model.class_proportions()[0], 1.0 / 3, 1e-12);
  EXPECT_NEAR(model.class_proportions()[1], 2.0 / 3, 1e-12);

  Diffusion plain(conditional_config(0));
  EXPECT_NE(error_of([&] { plain.set_data(xy, {0, 1, 1}); }).find("the points have labels but the model has no classes"),
            std::string::npos);
  EXPECT_NE(error_of([&] { DiffusionConfig c = conditional_config(9); Diffusion m(c); }).find("num_classes must be an integer from 0 to 8"),
            std::string::npos);
}

TEST(Classes, SamplingOptionsAreChecked) {
  Diffusion model(conditional_config(2));
  SampleOptions o;
  o.class_label = 2;
  EXPECT_NE(error_of([&] { model.sample(5, 0, nullptr, o); }).find("class must be from 0 to 1, or all (got 2)"),
            std::string::npos);
  o.class_label = 1;
  o.guidance = -1;
  EXPECT_NE(error_of([&] { model.sample(5, 0, nullptr, o); }).find("guidance must be a number from 0 to 100"),
            std::string::npos);
  Diffusion plain(conditional_config(0));
  o.guidance = 1;
  EXPECT_NE(error_of([&] { plain.sample(5, 0, nullptr, o); }).find("this model has no classes"), std::string::npos);
}

// prediction = uncond + w (cond - uncond): w = 0 is the unconditional model
// and w = 1 the conditional one, each exactly (computed alone).
TEST(Classes, GuidanceAtZeroAndOneIsExactlyUnconditionalAndConditional) {
  for (Objective objective : {Objective::Eps, Objective::Flow}) {
    Diffusion model(conditional_config(3, objective));
    model.set_points(make_points("two_moons", 200, 1));
    ASSERT_EQ(model.num_classes(), 3);  // labels 0 and 1 of a 3-class model: allowed
    model.train(30);
    const int n = 6;
    std::vector<float> xy(2 * n);
    for (int i = 0; i < 2 * n; ++i) xy[size_t(i)] = 0.3f * float(i) - 1.5f;
    const std::vector<int> labels{0, 1, 2, 0, 1, 2}, none(n, 3);
    const double t = objective == Objective::Flow ? 0.4 : 20;
    const auto uncond = model.predict_guided(xy.data(), none.data(), n, t, 1.0);
    const auto cond = model.predict_guided(xy.data(), labels.data(), n, t, 1.0);
    EXPECT_EQ(model.predict(xy.data(), n, t), uncond);
    EXPECT_EQ(model.predict_guided(xy.data(), labels.data(), n, t, 0.0), uncond);
    EXPECT_NE(cond, uncond);
    const auto guided = model.predict_guided(xy.data(), labels.data(), n, t, 3.0);
    for (size_t i = 0; i < guided.size(); ++i) EXPECT_FLOAT_EQ(guided[i], uncond[i] + 3.0f * (cond[i] - uncond[i]));

    // Sampling at w = 0 ignores the class: the same samples for any class.
    SampleOptions a = default_sampling(objective), b = a;
    a.guidance = b.guidance = 0;
    a.class_label = 0;
    b.class_label = 2;
    EXPECT_EQ(model.sample(50, 7, nullptr, a), model.sample(50, 7, nullptr, b));
    a.guidance = b.guidance = 1;
    EXPECT_NE(model.sample(50, 7, nullptr, a), model.sample(50, 7, nullptr, b));
  }
}

TEST(Classes, SamplesOfAllClassesFollowTheDataProportions) {
  Diffusion model(conditional_config(2));
  PointSet points = make_points("two_moons", 400, 1);
  std::fill(points.labels.begin(), points.labels.begin() + 300, 0);  // 3 : 1
  std::fill(points.labels.begin() + 300, points.labels.end(), 1);
  model.set_points(points);
  std::vector<int> labels;
  const auto first = model.sample(4000, 5, nullptr, default_sampling(Objective::Eps), &labels);
  ASSERT_EQ(labels.size(), 4000u);
  const double share0 = double(std::count(labels.begin(), labels.end(), 0)) / 4000;
  EXPECT_NEAR(share0, 0.75, 0.03);
  SampleOptions one = default_sampling(Objective::Eps);
  one.class_label = 1;
  model.sample(10, 5, nullptr, one, &labels);
  EXPECT_EQ(labels, std::vector<int>(10, 1));
  // The classes come from their own stream: the same seed starts from the same noise.
  std::vector<float> frames_all, frames_one;
  model.sample(10, 5, &frames_all);
  model.sample(10, 5, &frames_one, one);
  EXPECT_TRUE(std::equal(frames_one.begin(), frames_one.begin() + 20, frames_all.begin()));
}

TEST(Classes, TheIdealDenoiserOfAClassDrawsThatClassesPoints) {
  Diffusion model(conditional_config(2));
  const PointSet points = make_points("dino_in_circle", 600, 2);
  model.set_points(points);
  std::vector<float> circle;
  for (size_t i = 0; i < points.size(); ++i) {
    if (points.labels[i] != 1) continue;
    circle.push_back(points.xy[2 * i]);
    circle.push_back(points.xy[2 * i + 1]);
  }
  SampleOptions o = default_sampling(Objective::Eps);
  o.denoiser = Denoiser::Ideal;
  o.class_label = 1;
  const auto xy = model.sample(200, 3, nullptr, o);
  const auto q = quality_score(xy.data(), 200, circle.data(), circle.size() / 2, 0.05);
  EXPECT_GE(q.precision, 0.99);
}

TEST(Classes, ModelFilesKeepTheClassTableAndProportions) {
  Diffusion model(conditional_config(2, Objective::Flow));
  PointSet points = make_points("two_moons", 300, 1);
  std::fill(points.labels.begin(), points.labels.begin() + 100, 0);
  std::fill(points.labels.begin() + 100, points.labels.end(), 1);
  model.set_points(points);
  model.train(20);
  const auto bytes = save_safetensors(model);
  const LoadedModel loaded = parse_safetensors(bytes.data(), bytes.size(), DiffusionConfig{});
  EXPECT_EQ(loaded.config.model.num_classes, 2);
  ASSERT_EQ(loaded.class_proportions.size(), 2u);
  EXPECT_NEAR(loaded.class_proportions[0], 1.0 / 3, 1e-8);
  auto back = make_model(loaded);
  EXPECT_EQ(back->parameters().to_vector(), model.model_parameters().to_vector());
  EXPECT_EQ(back->layout().find("class_embedding.weight")->shape, (std::vector<int64_t>{3, 16}));
  SampleOptions o = default_sampling(Objective::Flow);
  o.guidance = 2.5;
  EXPECT_EQ(back->sample(40, 9, nullptr, o), model.sample(40, 9, nullptr, o));
}

}  // namespace
}  // namespace tinydiff
