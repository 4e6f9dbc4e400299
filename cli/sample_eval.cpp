#include "sample_eval.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>

#include "common.hpp"
#include "tinydiff/sampler_sweep.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/flow_density.hpp"
#include "tinydiff/io.hpp"
#include "tinydiff/metrics.hpp"
#include "tinydiff/model_file.hpp"
#include "tinydiff/reflow.hpp"

namespace tinydiff::cli {

void add_sample_options(CLI::App& cmd, SampleCommand& c) {
  add_model_options(cmd, c.model);
  add_data_options(cmd, c.data, "the ideal denoiser takes as its training data (--denoiser ideal)");
  cmd.add_option("--out", c.out,
                 "Output file: FILE.csv (x,y rows; x,y,label for a conditional model) or FILE.npy (float32 [n, 2])")
      ->required();
}

void add_eval_options(CLI::App& cmd, EvalCommand& c) {
  add_model_options(cmd, c.model);
  add_data_options(cmd, c.data, "to compare with (and the ideal denoiser's training data)");
  cmd.add_option("--draws", c.draws, "Average over this many draws of --n samples (seeds seed, seed+1, ...)")
      ->capture_default_str();
  cmd.add_option("--radius", c.radius, "Radius of precision and coverage")->capture_default_str();
  cmd.add_flag("--steps-sweep", c.steps_sweep,
               "Instead: every sampler at 1, 2, 5, 10, 20, 50 and T steps, with the network and with the ideal "
               "denoiser of the data: distance, share of samples on a data point, time per sample");
}

int run_sample(const SampleCommand& c) {
  const ModelOptions& o = c.model;
  const std::string& out = c.out;
  const bool csv = out.size() > 4 && out.substr(out.size() - 4) == ".csv";
  const bool npy = out.size() > 4 && out.substr(out.size() - 4) == ".npy";
  if (!csv && !npy) throw ConfigError("--out must name a .csv or .npy file (got \"" + out + "\")");
  SampleOptions sampling;
  auto model = load_model(o, sampling);
  if (sampling.denoiser == Denoiser::Ideal) model->set_points(load_data(c.data));
  const auto t0 = Clock::now();
  std::vector<int> labels;
  const auto xy = model->sample(o.n, o.seed, nullptr, sampling, model->num_classes() > 0 ? &labels : nullptr);
  const double seconds = seconds_since(t0);
  if (csv) write_text_file(out, format_points_csv(xy.data(), size_t(o.n), labels.empty() ? nullptr : labels.data()));
  else write_npy(out, xy.data(), {size_t(o.n), 2});
  std::string classes;
  if (model->num_classes() > 0) {
    char text[96];
    std::snprintf(text, sizeof(text), ", class %s, guidance %g",
                  sampling.class_label == SampleOptions::kAllClasses ? "all" : std::to_string(sampling.class_label).c_str(),
                  sampling.guidance);
    classes = text;
  }
  std::printf("sampled %d points with %s (%d steps%s) in %.3f s: %s\n", o.n, to_string(sampling.sampler).c_str(),
              model->sampling_steps(sampling), classes.c_str(), seconds, out.c_str());
  return 0;
}

namespace {

constexpr size_t kNllPoints = 2000;  // the points eval's NLL averages over

// The sweep's rows as a table: a line a sampler and denoiser, a column a
// step count, each cell as `cell` writes it ("-" where the sampler does not
// take that count).
void print_sweep_table(const std::vector<SweepRow>& rows, const std::vector<int>& steps,
                       const std::function<std::string(const SweepRow&)>& cell) {
  for (size_t i = 0; i < rows.size();) {
    const SweepRow& first = rows[i];
    std::printf("%-10s %-8s", to_string(first.sampler).c_str(), to_string(first.denoiser).c_str());
    size_t j = i;
    for (int k : steps) {
      const bool here = j < rows.size() && rows[j].sampler == first.sampler && rows[j].denoiser == first.denoiser &&
                        rows[j].steps == k;
      std::printf(" %16s", here ? cell(rows[j++]).c_str() : "-");
    }
    std::printf("\n");
    i = j;
  }
}

// `eval --steps-sweep`: one line a sampler, a column a step count, then the
// same with the ideal denoiser (core's sampler_sweep); then the same rows'
// W2; a flow model's straightness.
int print_steps_sweep(Diffusion& model, const ModelOptions& o, const SampleOptions& sampling) {
  const std::vector<int> steps = sweep_step_counts(model.num_timesteps(), model.objective());
  const auto rows = sampler_sweep(model, o.n, o.seed, steps, true, sampling);
  std::printf("distance to the data (Chamfer) of %d samples by steps; in brackets the share of samples within %g of a "
              "data point (memorised), then ms per sample\n",
              o.n, kMemorisedRadius);
  std::printf("%-10s %-8s", "sampler", "denoiser");
  for (int k : steps) std::printf(" %16d", k);
  std::printf("\n");
  print_sweep_table(rows, steps, [](const SweepRow& r) {
    char cell[64];
    std::snprintf(cell, sizeof cell, "%.3f (%2.0f%%) %.2f", r.chamfer, 100 * r.memorised, 1000 * r.seconds_per_sample);
    return std::string(cell);
  });
  // The exact 2-Wasserstein distances: how the mass sits, which Chamfer does not see.
  std::printf("exact 2-Wasserstein distance to the data (at most %zu samples and points)\n", kMaxW2Points);
  print_sweep_table(rows, steps, [](const SweepRow& r) {
    char cell[32];
    std::snprintf(cell, sizeof cell, "%.3f", r.w2);
    return std::string(cell);
  });
  if (model.objective() == Objective::Flow) {
    std::printf("straightness of the network's paths (%d Euler steps): %.4f\n", kStraightnessSteps,
                model_straightness(model, o.n, o.seed, sampling));
  }
  return 0;
}

// A conditional model, class by class: samples of class k against class k's
// points, and how many land on another class's points instead.
void print_per_class(Diffusion& model, const ModelOptions& o, SampleOptions sampling, int draws, double radius) {
  const std::vector<float>& xy = model.data();
  const std::vector<int>& labels = model.labels();
  for (int k = 0; k < model.num_classes(); ++k) {
    std::vector<float> own, others;
    for (size_t i = 0; i < labels.size(); ++i) {
      std::vector<float>& into = labels[i] == k ? own : others;
      into.push_back(xy[2 * i]);
      into.push_back(xy[2 * i + 1]);
    }
    if (own.empty()) {
      std::printf("class %d: no data points\n", k);
      continue;
    }
    sampling.class_label = k;
    double chamfer = 0, on_own = 0, on_others = 0;
    for (int d = 0; d < draws; ++d) {
      const auto s = model.sample(o.n, o.seed + uint64_t(d), nullptr, sampling);
      const auto q = quality_score(s.data(), size_t(o.n), own.data(), own.size() / 2, radius);
      chamfer += q.chamfer / draws;
      on_own += q.precision / draws;
      if (!others.empty()) {
        on_others += quality_score(s.data(), size_t(o.n), others.data(), others.size() / 2, radius).precision / draws;
      }
    }
    std::printf("class %d (guidance %g): chamfer %.4f to its %zu points; %.1f%% of samples within %g of them, %.1f%% "
                "within %g of another class's\n",
                k, sampling.guidance, chamfer, own.size() / 2, 100 * on_own, radius, 100 * on_others, radius);
  }
}

}  // namespace

int run_eval(const EvalCommand& c) {
  const ModelOptions& o = c.model;
  const int draws = c.draws;
  const double radius = c.radius;
  SampleOptions sampling;
  auto model = load_model(o, sampling);
  check_integer("--draws", draws, 1, 1000);
  if (!(radius > 0 && std::isfinite(radius))) throw ConfigError("--radius must be a positive number");
  PointSet points = load_data(c.data);
  const std::vector<float> data = points.xy;
  if (model->num_classes() > 0 && sampling.class_label != SampleOptions::kAllClasses) {
    throw ConfigError("eval reports every class of a conditional model: leave out --class");
  }
  model->set_points(std::move(points));  // the ideal denoiser's training data
  if (c.steps_sweep) return print_steps_sweep(*model, o, sampling);
  QualityScore mean;
  SpreadScore spread;
  double w2 = 0;
  for (int d = 0; d < draws; ++d) {
    const auto xy = model->sample(o.n, o.seed + uint64_t(d), nullptr, sampling);
    const auto s = quality_score(xy.data(), size_t(o.n), data.data(), data.size() / 2, radius);
    const auto extent = spread_score(xy.data(), size_t(o.n), data.data(), data.size() / 2);
    spread.std_x_ratio += extent.std_x_ratio / draws;
    spread.std_y_ratio += extent.std_y_ratio / draws;
    spread.corner_fill += extent.corner_fill / draws;
    w2 += wasserstein2(xy.data(), size_t(o.n), data.data(), data.size() / 2, o.seed + uint64_t(d)) / draws;
    mean.chamfer += s.chamfer / draws;
    mean.sample_to_data += s.sample_to_data / draws;
    mean.data_to_sample += s.data_to_sample / draws;
    mean.precision += s.precision / draws;
    mean.coverage += s.coverage / draws;
  }
  std::printf("chamfer %.4f (samples->data %.4f, data->samples %.4f); %.1f%% of samples within %g of the data, "
              "%.1f%% of the data covered  [%s, %d x %d samples]\n",
              mean.chamfer, mean.sample_to_data, mean.data_to_sample, 100 * mean.precision, radius,
              100 * mean.coverage, to_string(sampling.sampler).c_str(), draws, o.n);
  std::printf("W2 %.4f (the exact 2-Wasserstein distance, at most %zu samples and points)", w2, kMaxW2Points);
  if (model->objective() == Objective::Flow) {
    std::printf("; straightness %.4f (%d Euler steps)", model_straightness(*model, std::min(o.n, 1000), o.seed, sampling),
                kStraightnessSteps);
  }
  std::printf("\n");
  if (model->num_classes() == 0) {
    // The exact negative log-likelihood of the data points (fresh ones for a preset with another --data_seed):
    // along the flow, or a noise-prediction model's probability-flow ODE.
    const size_t count = std::min<size_t>(data.size() / 2, kNllPoints);
    const auto log_p = model->log_density(data.data(), int(count), kLogDensitySteps);
    double nll = 0;
    for (double l : log_p) nll -= l / double(count);
    std::printf("NLL %.4f nats a point (exact, by the change of variables along the %s over %d RK4 steps, on %zu data "
                "points)\n", nll, model->objective() == Objective::Flow ? "flow" : "probability-flow ODE",
                kLogDensitySteps, count);
  }
  std::printf("spread: sample std %.3f (x) and %.3f (y) of the data's", spread.std_x_ratio, spread.std_y_ratio);
  if (std::isfinite(spread.corner_fill)) {
    std::printf("; the bounding box's 0.5 x 0.5 corners %.0f%% as full as the data's", 100 * spread.corner_fill);
  }
  std::printf("\n");
  if (model->num_classes() > 0) print_per_class(*model, o, sampling, draws, radius);
  return 0;
}

}  // namespace tinydiff::cli
