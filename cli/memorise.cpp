#include "memorise.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <numeric>
#include <set>
#include <sstream>
#include <thread>

#include "common.hpp"
#include "line_chart.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/io.hpp"
#include "tinydiff/memorisation.hpp"

namespace fs = std::filesystem;

namespace tinydiff::cli {
namespace {

constexpr uint64_t kFreshStream = 0xf4e5;  // the fresh points' seed offset: never a training set's
constexpr uint64_t kLossStream = 0x1055;   // the noising of the train and test losses
constexpr int kMinSize = 8;

// One evaluation of one run.
struct Evaluation {
  int64_t step = 0;
  MemorisationScore score;
  double train_loss = 0, test_loss = 0;
};

// One model: a training-set size and a seed.
struct Run {
  int size = 0;
  int seed_index = 0;
  Evaluation untrained;             // at step 0: where the test distance falls from
  std::vector<Evaluation> evaluations;
  int64_t tau_gen = -1, tau_fall = -1, tau_mem = -1;
  bool diverged = false;
  std::string error;
};

double mean(const std::vector<float>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

// Log-spaced steps from steps / 1000 (at least 1) to steps, without repeats.
std::vector<int64_t> evaluation_steps(int64_t steps, int count) {
  const double lo = std::log10(std::max<double>(1.0, double(steps) / 1000.0)), hi = std::log10(double(steps));
  std::set<int64_t> out;
  for (int k = 0; k < count; ++k) {
    const double e = count == 1 ? hi : lo + (hi - lo) * k / (count - 1);
    out.insert(std::clamp<int64_t>(std::llround(std::pow(10.0, e)), 1, steps));
  }
  return {out.begin(), out.end()};
}

void train_run(Run& run, const MemoriseOptions& o, const std::vector<int64_t>& at) {
  const uint64_t seed = o.seed + uint64_t(run.seed_index);
  PointSet train = make_points(o.dataset, run.size, seed);
  PointSet fresh = make_points(o.dataset, o.fresh, seed + kFreshStream);
  DiffusionConfig config = o.config;
  config.train.seed = seed;
  if (config.train.lr_decay_steps > 0) config.train.lr_decay_steps = o.steps;  // a decay spans the run
  config.model.num_classes = train.num_classes();
  Diffusion model(config);
  model.set_points(train);
  const auto evaluate = [&](int64_t step) {
    Evaluation e;
    e.step = step;
    const std::vector<float> samples = model.sample(o.samples, kEvalStream);
    e.score = memorisation_score(samples.data(), samples.size() / 2, train.xy.data(), train.size(), fresh.xy.data(),
                                 fresh.size());
    e.train_loss = mean(model.loss_by_timestep(o.loss_points, kLossStream));
    e.test_loss = mean(model.loss_by_timestep_on(fresh.xy, fresh.labels, o.loss_points, kLossStream));
    return e;
  };
  run.untrained = evaluate(0);
  int64_t done = 0;
  for (int64_t step : at) {
    model.train(step - done);
    done = step;
    if (model.diverged()) {
      run.diverged = true;
      return;
    }
    run.evaluations.push_back(evaluate(step));
  }
  std::vector<int64_t> steps;
  std::vector<double> test, excess;
  for (const Evaluation& e : run.evaluations) {
    steps.push_back(e.step);
    test.push_back(e.score.test_distance);
    excess.push_back(e.score.excess);
  }
  run.tau_gen = first_near_best(steps, test, 0.1);
  run.tau_fall = first_after_fall(steps, test, run.untrained.score.test_distance, 0.9);
  run.tau_mem = first_reaching(steps, excess, o.margin);
}

void check_options(const MemoriseOptions& o) {
  if (std::find(dataset_names().begin(), dataset_names().end(), o.dataset) == dataset_names().end()) {
    throw ConfigError("--dataset must be one of " + join_names(dataset_names()) + " (got \"" + o.dataset + "\")");
  }
  if (o.sizes.empty()) throw ConfigError("--sizes needs at least one training-set size");
  for (int n : o.sizes) check_integer("--sizes", n, kMinSize, kMaxDatasetSize);
  check_integer("--steps", o.steps, 1, 100'000'000);
  check_integer("--evaluations", o.evaluations, 1, 1000);
  check_integer("--samples", o.samples, 1, RunLimits::kMaxEvalBatch);
  check_integer("--fresh", o.fresh, 1, kMaxDatasetSize);
  check_integer("--loss_points", o.loss_points, 1, 100'000);
  check_integer("--seeds", o.seeds, 1, 100);
  check_integer("--jobs", o.jobs, 0, 1024);
  if (!(o.margin > 0 && o.margin < 1)) throw ConfigError("--margin must lie in (0, 1)");
}

std::string tau_text(int64_t tau) { return tau < 0 ? "never" : std::to_string(tau); }
std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}

void write_outputs(const MemoriseOptions& o, const std::vector<Run>& runs, const std::vector<std::pair<double, double>>& fits,
                   double slope_mean, double slope_std) {
  fs::create_directories(o.out_dir);
  std::ofstream csv(o.out_dir + "/memorise.csv");
  csv << "seed,n,step,copy_share,base_rate,excess,test_distance,train_distance,train_loss,test_loss\n";
  for (const Run& r : runs) {
    if (r.evaluations.empty()) continue;
    std::vector<const Evaluation*> rows{&r.untrained};
    for (const Evaluation& e : r.evaluations) rows.push_back(&e);
    for (const Evaluation* p : rows) {
      const Evaluation& e = *p;
      csv << r.seed_index << ',' << r.size << ',' << e.step << ',' << e.score.copy_share << ',' << e.score.base_rate << ','
          << e.score.excess << ',' << e.score.test_distance << ',' << e.score.train_distance << ',' << e.train_loss << ','
          << e.test_loss << '\n';
    }
  }
  if (!csv) throw IoError("cannot write " + o.out_dir + "/memorise.csv");
  std::ofstream json(o.out_dir + "/summary.json");
  json << "{\n  \"dataset\": \"" << o.dataset << "\", \"steps\": " << o.steps << ", \"margin\": " << o.margin
       << ", \"copy_ratio\": " << json_number(kCopyRatio) << ",\n  \"runs\": [\n";
  for (size_t i = 0; i < runs.size(); ++i) {
    const Run& r = runs[i];
    const Evaluation* last = r.evaluations.empty() ? nullptr : &r.evaluations.back();
    json << "    {\"seed\": " << r.seed_index << ", \"n\": " << r.size << ", \"tau_gen\": "
         << (r.tau_gen < 0 ? "null" : std::to_string(r.tau_gen)) << ", \"tau_fall\": "
         << (r.tau_fall < 0 ? "null" : std::to_string(r.tau_fall)) << ", \"tau_mem\": "
         << (r.tau_mem < 0 ? "null" : std::to_string(r.tau_mem)) << ", \"diverged\": " << (r.diverged ? "true" : "false")
         << ", \"final_copy_share\": " << json_number(last ? last->score.copy_share : NAN)
         << ", \"base_rate\": " << json_number(last ? last->score.base_rate : NAN) << "}" << (i + 1 < runs.size() ? "," : "")
         << "\n";
  }
  json << "  ],\n  \"fits\": [";
  for (size_t s = 0; s < fits.size(); ++s) {
    json << (s ? ", " : "") << "{\"seed\": " << s << ", \"slope\": " << json_number(fits[s].first)
         << ", \"intercept\": " << json_number(fits[s].second) << "}";
  }
  json << "],\n  \"slope_mean\": " << json_number(slope_mean) << ", \"slope_std\": " << json_number(slope_std) << "\n}\n";
  if (!json) throw IoError("cannot write " + o.out_dir + "/summary.json");
  // The figure: the first seed's copy share per n, each over its dashed base rate.
  LineChart chart;
  chart.title = "Copies of training points: " + o.dataset;
  chart.note = "share of samples whose nearest training point is 1/3 as far as the next (dashed: fresh points' base rate)";
  chart.x_label = "training steps";
  chart.y_label = "share of samples";
  int color = 0;
  for (const Run& r : runs) {
    if (r.seed_index != 0) continue;
    LineSeries copies, base;
    copies.label = "n = " + std::to_string(r.size);
    base.label = "base, n = " + std::to_string(r.size);
    base.dashed = true;
    copies.color = base.color = color++;
    for (const Evaluation& e : r.evaluations) {
      copies.x.push_back(double(e.step));
      base.x.push_back(double(e.step));
      copies.y.push_back(e.score.copy_share);
      base.y.push_back(e.score.base_rate);
    }
    chart.series.push_back(copies);
    chart.series.push_back(base);
  }
  write_line_chart_svg(o.out_dir + "/copy_share.svg", chart);
}

}  // namespace

std::pair<double, double> log_log_fit(const std::vector<int>& sizes, const std::vector<int64_t>& taus) {
  std::vector<double> x, y;
  for (size_t i = 0; i < sizes.size() && i < taus.size(); ++i) {
    if (taus[i] > 0) {
      x.push_back(std::log(double(sizes[i])));
      y.push_back(std::log(double(taus[i])));
    }
  }
  if (x.size() < 2) return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / double(x.size());
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / double(y.size());
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  if (sxx == 0) return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  const double slope = sxy / sxx;
  return {slope, my - slope * mx};
}

void add_memorise_options(CLI::App& cmd, MemoriseOptions& o) {
  cmd.add_option("--dataset", o.dataset, "Preset whose generating distribution gives the training and test points: " +
                                             join_names(dataset_names()))->capture_default_str();
  cmd.add_option("--sizes", o.sizes, "Training-set sizes n, one model each (comma-separated)")->delimiter(',')->capture_default_str();
  cmd.add_option("--steps", o.steps, "Training steps of every model")->capture_default_str();
  cmd.add_option("--evaluations", o.evaluations, "Log-spaced evaluations from steps/1000 to steps")->capture_default_str();
  cmd.add_option("--samples", o.samples, "Samples at each evaluation")->capture_default_str();
  cmd.add_option("--fresh", o.fresh, "Fresh points of the distribution: the test set and the copy share's base rate")
      ->capture_default_str();
  cmd.add_option("--loss_points", o.loss_points, "Points per timestep of the train and test losses")->capture_default_str();
  cmd.add_option("--seeds", o.seeds, "Runs of every size (seeds --seed .. --seed + K - 1): the spread of the fit")->capture_default_str();
  cmd.add_option("--margin", o.margin, "tau_mem: the first evaluation whose copy share exceeds its base rate by this")
      ->capture_default_str();
  cmd.add_option("--jobs", o.jobs, "Models trained at once (0: one per core)")->capture_default_str();
  cmd.add_option("--preset", o.preset, "Settings every model starts from: " + join_names(preset_names()))->capture_default_str();
  o.fields.reserve(config_fields().size());
  const DiffusionConfig defaults;
  for (const ConfigField& field : config_fields()) {
    if (!field.cli_flag) continue;
    o.fields.emplace_back(&field, std::string());
    add_field_flag(cmd, field, o.fields.back().second, field.help)->default_str(field.to_text(defaults));
  }
  cmd.add_option("--out_dir", o.out_dir, "Folder of memorise.csv, summary.json and copy_share.svg")->capture_default_str();
  cmd.add_flag("--quiet", o.quiet, "Print only the table");
}

void resolve_memorise_config(const CLI::App& cmd, MemoriseOptions& o) {
  o.config = preset_config(o.preset, o.steps, "--preset");
  for (const auto& [field, text] : o.fields) {
    if (cmd.get_option(field->cli_flag)->count() > 0) field->set_from_text(o.config, text, NameStyle::Flag);
  }
  validate(o.config, NameStyle::Flag);
  o.seed = o.config.train.seed;  // --seed (the settings table's): the first run's data, initialisation and batches
}

int run_memorise(const MemoriseOptions& o) {
  check_options(o);
  const std::vector<int64_t> at = evaluation_steps(o.steps, o.evaluations);
  std::vector<Run> runs;
  for (int s = 0; s < o.seeds; ++s) {
    for (int n : o.sizes) {
      Run r;
      r.size = n;
      r.seed_index = s;
      runs.push_back(r);
    }
  }
  const int cores = std::max(1, int(std::thread::hardware_concurrency()));
  const int workers = std::min<int>(int(runs.size()), o.jobs > 0 ? o.jobs : cores);
  if (!o.quiet) {
    std::fprintf(stderr, "tinydiff memorise: %s, n = %s, %lld steps, %zu evaluations, %d seed%s, %zu models on %d threads\n",
                 o.dataset.c_str(), [&] { std::string t; for (int n : o.sizes) t += (t.empty() ? "" : ",") + std::to_string(n); return t; }().c_str(),
                 (long long)o.steps, at.size(), o.seeds, o.seeds == 1 ? "" : "s", runs.size(), workers);
    const DiffusionConfig& c = o.config;
    std::fprintf(stderr, "  network: %d blocks of %d, embeddings of %d; lr %g (%s), batch %d, T = %d\n", c.model.hidden_layers,
                 c.model.hidden_size, c.model.embedding_size, c.train.learning_rate,
                 c.train.lr_decay_steps > 0 ? "cosine decay" : "constant", c.train.batch_size, c.schedule.num_timesteps);
  }
  std::atomic<size_t> next{0};
  std::mutex print;
  std::vector<std::thread> threads;
  const Clock::time_point start = Clock::now();
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      for (size_t i; (i = next++) < runs.size();) {
        Run& r = runs[i];
        try {
          train_run(r, o, at);
        } catch (const std::exception& e) {
          r.error = e.what();
        }
        if (!o.quiet) {
          std::lock_guard<std::mutex> lock(print);
          std::fprintf(stderr, "  n = %d, seed %d: done after %.0f s%s\n", r.size, r.seed_index, seconds_since(start),
                       r.diverged ? " (diverged)" : "");
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const Run& r : runs) {
    if (!r.error.empty()) throw ConfigError("n = " + std::to_string(r.size) + ": " + r.error);
  }
  // The fit of each seed, then their mean and spread.
  std::vector<std::pair<double, double>> fits;
  std::vector<double> slopes;
  for (int s = 0; s < o.seeds; ++s) {
    std::vector<int> sizes;
    std::vector<int64_t> taus;
    for (const Run& r : runs) {
      if (r.seed_index == s) { sizes.push_back(r.size); taus.push_back(r.tau_mem); }
    }
    fits.push_back(log_log_fit(sizes, taus));
    if (std::isfinite(fits.back().first)) slopes.push_back(fits.back().first);
  }
  double slope_mean = NAN, slope_std = NAN;
  if (!slopes.empty()) {
    slope_mean = std::accumulate(slopes.begin(), slopes.end(), 0.0) / double(slopes.size());
    double ss = 0;
    for (double v : slopes) ss += (v - slope_mean) * (v - slope_mean);
    slope_std = slopes.size() > 1 ? std::sqrt(ss / double(slopes.size() - 1)) : 0.0;
  }
  std::printf("%-5s %-6s %10s %10s %10s %12s %10s %10s %13s %11s %10s\n", "seed", "n", "tau_gen", "tau_fall", "tau_mem", "copy share",
              "base rate", "excess", "test distance", "train loss", "test loss");
  for (const Run& r : runs) {
    if (r.evaluations.empty()) {
      std::printf("%-5d %-6d %10s\n", r.seed_index, r.size, r.diverged ? "diverged" : "-");
      continue;
    }
    const Evaluation& e = r.evaluations.back();
    std::printf("%-5d %-6d %10s %10s %10s %12.3f %10.3f %10.3f %13.4f %11.4f %10.4f\n", r.seed_index, r.size,
                tau_text(r.tau_gen).c_str(), tau_text(r.tau_fall).c_str(), tau_text(r.tau_mem).c_str(), e.score.copy_share, e.score.base_rate,
                e.score.excess, e.score.test_distance, e.train_loss, e.test_loss);
  }
  std::printf("tau_mem ~ n^b: b = %s", std::isfinite(slope_mean) ? json_number(slope_mean).c_str() : "undefined (tau_mem reached at fewer than 2 sizes)");
  if (slopes.size() > 1) std::printf(" +- %s over %zu seeds", json_number(slope_std).c_str(), slopes.size());
  std::printf("\n");
  write_outputs(o, runs, fits, slope_mean, slope_std);
  if (!o.quiet) std::fprintf(stderr, "tinydiff memorise: wrote %s/{memorise.csv, summary.json, copy_share.svg}\n", o.out_dir.c_str());
  return 0;
}

}  // namespace tinydiff::cli
