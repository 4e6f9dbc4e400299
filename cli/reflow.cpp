#include "reflow.hpp"

#include <cstdio>
#include <vector>

#include "common.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/io.hpp"
#include "tinydiff/metrics.hpp"
#include "tinydiff/model_file.hpp"
#include "tinydiff/reflow.hpp"

namespace tinydiff::cli {
namespace {

constexpr uint64_t kPairStream = 0x9a1;  // the pairs' noise: never the evaluation's
constexpr int kScoreSamples = 1000;  // W2 by the exact assignment: ~0.3 s natively at 1000, ~2.7 s at 2000
constexpr int kScoreSteps[] = {1, 2, 4, 8, 100};

// W2 of kScoreSamples samples at `steps` Euler steps.
double w2_at(Diffusion& model, int steps, const PointSet& data, const SampleOptions& base, uint64_t seed) {
  SampleOptions euler = base;
  euler.sampler = Sampler::Euler;
  euler.steps = steps;
  const std::vector<float> xy = model.sample(kScoreSamples, seed ^ kEvalStream, nullptr, euler);
  return wasserstein2(xy.data(), kScoreSamples, data.xy.data(), data.size(), seed);
}

}  // namespace

void add_reflow_options(CLI::App& cmd, ReflowCommand& c) {
  SampleOptions heun;  // the pairs' solver unless the flags say otherwise
  heun.sampler = Sampler::Heun;
  heun.steps = 100;
  add_model_options(cmd, c.model, heun);
  add_data_options(cmd, c.data, "W2 is measured against");
  cmd.add_option("--pairs", c.pairs, "(noise, ODE solution) pairs drawn from the model")->capture_default_str();
  cmd.add_option("--train_steps", c.train_steps, "Steps of training on the fixed pairs")->capture_default_str();
  cmd.add_option("--learning_rate", c.learning_rate, "AdamW learning rate of that training")->capture_default_str();
  cmd.add_option("--out", c.out, "The reflowed model: FILE.safetensors")->required();
}

int run_reflow(const ReflowCommand& c) {
  check_integer("--pairs", c.pairs, 2, Diffusion::kMaxSamples);
  check_integer("--train_steps", c.train_steps, 1, 100'000'000);
  if (!(c.learning_rate > 0 && c.learning_rate <= Limits::kMaxLearningRate)) {
    throw ConfigError("--learning_rate must lie in (0, " + std::to_string(Limits::kMaxLearningRate) + "]");
  }
  SampleOptions solve;
  auto teacher = load_model(c.model, solve, "reflow");
  if (solve.steps == 0) solve.steps = teacher->num_timesteps();
  const PointSet data = load_data(c.data);
  // The student: the teacher's network and weights (as Liu et al. start the
  // 2-rectified flow), independent coupling, a fresh optimizer.
  DiffusionConfig config = teacher->config();
  config.schedule.coupling = Coupling::Independent;
  config.train.learning_rate = c.learning_rate;
  config.train.lr_decay_steps = 0;
  config.train.lr_warmup_steps = 0;
  config.train.train_size = 0;
  Diffusion student(config);
  const Span<const float> weights = teacher->model_parameters();
  student.set_parameters(weights.data(), weights.size());
  const auto start = Clock::now();
  const ReflowPairs pairs = make_reflow_pairs(*teacher, c.pairs, c.model.seed ^ kPairStream, solve);
  const double pair_seconds = seconds_since(start);
  student.set_pairs(pairs.xy, pairs.noise, pairs.labels);
  const auto trained = Clock::now();
  student.train(c.train_steps);
  const double train_seconds = seconds_since(trained);
  if (student.diverged()) throw ConfigError("training on the pairs diverged: lower --learning_rate");
  write_binary_file(c.out, save_safetensors(student));
  std::printf("drew %d pairs with %s (%d steps) in %.1f s; trained %lld steps on them in %.1f s; wrote %s\n", c.pairs,
              to_string(solve.sampler).c_str(), solve.steps, pair_seconds, (long long)c.train_steps, train_seconds,
              c.out.c_str());
  std::printf("W2 to the data (%d samples) by Euler steps, and the straightness of the paths\n", kScoreSamples);
  std::printf("%-10s", "model");
  for (int k : kScoreSteps) std::printf(" %9d", k);
  std::printf(" %13s\n", "straightness");
  const SampleOptions base = solve;
  for (auto [name, model] : {std::pair<const char*, Diffusion*>{"original", teacher.get()}, {"reflowed", &student}}) {
    std::printf("%-10s", name);
    for (int k : kScoreSteps) std::printf(" %9.4f", w2_at(*model, k, data, base, c.model.seed));
    std::printf(" %13.4f\n", model_straightness(*model, 1000, c.model.seed ^ kEvalStream, base));
  }
  return 0;
}

}  // namespace tinydiff::cli
