#include "ablate.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

#include "common.hpp"
#include "plot.hpp"
#include "progress.hpp"
#include "training_loop.hpp"
#include "tinydiff/config_fields.hpp"
#include "tinydiff/config.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/io.hpp"
#include "tinydiff/metrics.hpp"

namespace fs = std::filesystem;

namespace tinydiff::cli {
namespace {

// One training run: the configuration of one row of a sweep.
struct RunSetup {
  DiffusionConfig config;
  std::string dataset;
  int64_t planned_steps = 0;  // the run's length, which a preset's learning-rate decay spans
};

// One hyperparameter varied over values: `field` names a row of core's
// settings table (config_fields.hpp), whose set_from_text reads and checks
// each value; two sweeps vary what no row holds: "dataset" (the data of the
// run) and "preset" (every setting at once).
struct Sweep {
  std::string field;  // also the `tinydiff train` flag it varies
  std::string title;  // figure title
  std::vector<std::string> values;
  bool in_all = true;  // part of --sweep all
};

const std::vector<Sweep>& sweeps() {
  static const std::vector<Sweep> all = {
      {"learning_rate", "Learning rate", {"1e-2", "1e-3", "1e-4", "1e-5"}},
      {"dataset", "Dataset", {"moons", "dino", "line", "circle"}},
      {"num_timesteps", "Number of timesteps", {"5", "10", "25", "50", "100", "250"}},
      {"beta_schedule", "Variance schedule", {"linear", "quadratic", "cosine", "sigmoid"}},
      {"hidden_size", "Hidden size", {"16", "32", "64", "128", "256", "512"}},
      {"hidden_layers", "Number of hidden layers", {"1", "2", "3", "4", "5"}},
      {"time_embedding", "Time embedding", {"learnable", "sinusoidal", "linear", "zero"}},
      {"input_embedding", "Input embedding", {"learnable", "sinusoidal", "linear", "identity"}},
      {"preset", "Preset", {"reference", "best"}, false},
  };
  return all;
}

// One value of a sweep applied to a run; throws ConfigError for a bad value.
void apply(const Sweep& sweep, RunSetup& run, const std::string& value) {
  if (sweep.field == "dataset") {
    run.dataset = value;
  } else if (sweep.field == "preset") {
    run.config = preset_config(value, run.planned_steps, "--values");
  } else {
    try {
      config_field(sweep.field).set_from_text(run.config, value, NameStyle::Snake);
    } catch (const ConfigError& e) {
      throw ConfigError("--values of the " + sweep.field + " sweep: " + e.what());
    }
  }
}

const Sweep& find_sweep(const std::string& name) {
  for (const Sweep& s : sweeps()) {
    if (s.field == name) return s;
  }
  std::string allowed = "all";
  for (const Sweep& s : sweeps()) allowed += ", " + s.field;
  throw ConfigError("--sweep must be one of " + allowed + " (got \"" + name + "\")");
}

struct Cell {
  std::vector<float> samples;  // empty once the run has diverged
  QualityScore quality;
  SpreadScore spread;
};

// One row: a run's setup, its checkpoints and what it produced.
struct Job {
  size_t sweep = 0;  // index into the sweeps being run
  std::string value;
  RunSetup setup;
  std::vector<float> data;
  int64_t steps = 0;  // planned training steps
  double cost = 0;    // relative work, to start the heaviest runs first
  std::vector<Cell> cells;
  bool diverged = false;
  int diverged_epoch = -1;
  std::string error;
};

void run_job(Job& job, const AblateOptions& o, const std::vector<int>& checkpoints,
             std::atomic<int64_t>& progress) {
  Diffusion model(job.setup.config);
  model.set_data(job.data);
  const int64_t per_epoch = model.steps_per_epoch();
  TrainingLoopHooks hooks;
  hooks.on_step = [&](float, int, int64_t s) { if ((s & 63) == 63) progress += 64; };
  hooks.on_checkpoint = [&](int, std::vector<float> samples, double) {
    Cell cell;
    cell.samples = std::move(samples);
    const size_t n = cell.samples.size() / 2, m = model.num_points();
    cell.quality = quality_score(cell.samples.data(), n, job.data.data(), m);
    cell.spread = spread_score(cell.samples.data(), n, job.data.data(), m);
    job.cells.push_back(std::move(cell));
  };
  hooks.on_epoch_end = [&](int, double) { progress += per_epoch & 63; };
  const TrainingLoopResult result =
      train_with_checkpoints(model, o.num_epochs, checkpoints, o.eval_batch_size, o.seed ^ kEvalStream, hooks);
  if (!result.diverged) return;
  job.diverged = true;
  job.diverged_epoch = result.diverged_epoch;
  progress += (int64_t(o.num_epochs) - result.diverged_epoch) * per_epoch - result.diverged_step_in_epoch;
  job.cells.resize(checkpoints.size());
}

std::string format(const char* pattern, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, pattern, v);
  return buf;
}

void write_sweep(const Sweep& sweep, const std::vector<const Job*>& rows, const AblateOptions& o,
                 const std::vector<int>& checkpoints, const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError("cannot create \"" + dir.string() + "\": " + ec.message());

  GridFigure figure;
  figure.title = sweep.field == "preset" ? "Reference vs best preset" : sweep.title + " (" + sweep.field + ")";
  std::ostringstream note;
  note << (sweep.field == "dataset" ? std::string("each dataset") : o.dataset) << ", "
       << (sweep.field == "preset" ? std::string("each") : o.preset) << " preset, " << o.num_epochs << " epochs, " << o.eval_batch_size
       << " samples a cell; number: Chamfer distance to the data";
  figure.note = note.str();
  for (int e : checkpoints) figure.column_labels.push_back("epoch " + std::to_string(e));

  std::ostringstream csv, md;
  csv << "sweep,value,epoch,chamfer,sample_to_data,data_to_sample,precision,coverage,std_x_ratio,"
         "std_y_ratio,corner_fill\n";
  md << "| " << sweep.field;
  for (int e : checkpoints) md << " | " << e;
  md << " | precision | coverage | std x | std y |\n|---";
  for (size_t i = 0; i < checkpoints.size() + 4; ++i) md << "|---:";
  md << "|\n";

  for (const Job* job : rows) {
    figure.row_labels.push_back(sweep.field == "learning_rate" || sweep.field == "dataset" ||
                                        sweep.field == "preset"
                                    ? job->value
                                    : sweep.field + " " + job->value);
    md << "| " << job->value;
    for (size_t c = 0; c < checkpoints.size(); ++c) {
      const Cell& cell = job->cells[c];
      figure.cells.push_back(cell.samples);
      if (cell.samples.empty()) {
        figure.captions.push_back(job->diverged ? "diverged" : "");
        md << " | " << (job->diverged ? "diverged" : "");
        continue;
      }
      figure.captions.push_back(format("%.3f", cell.quality.chamfer));
      md << " | " << format("%.3f", cell.quality.chamfer);
      csv << sweep.field << ',' << job->value << ',' << checkpoints[c] << ',' << cell.quality.chamfer
          << ',' << cell.quality.sample_to_data << ',' << cell.quality.data_to_sample << ','
          << cell.quality.precision << ',' << cell.quality.coverage << ',' << cell.spread.std_x_ratio
          << ',' << cell.spread.std_y_ratio << ',';
      if (std::isfinite(cell.spread.corner_fill)) csv << cell.spread.corner_fill;
      csv << '\n';
    }
    const Cell& last = job->cells.back();
    if (last.samples.empty()) {
      md << " | | | | |\n";
    } else {
      md << " | " << format("%.1f%%", 100 * last.quality.precision) << " | "
         << format("%.1f%%", 100 * last.quality.coverage) << " | "
         << format("%.2f", last.spread.std_x_ratio) << " | " << format("%.2f", last.spread.std_y_ratio)
         << " |\n";
    }
  }
  write_grid_svg((dir / "grid.svg").string(), figure);
  write_grid_png((dir / "grid.png").string(), figure);
  write_text_file((dir / "scores.csv").string(), csv.str());
  write_text_file((dir / "scores.md").string(), md.str());
}

// A one-line progress bar over every run of the sweep.
void draw_progress(int64_t done, int64_t total, int runs_done, int runs, double seconds, bool terminal) {
  const ProgressLine p = progress_line(done, total, seconds);
  std::fprintf(stderr, "%s  runs %d/%d [%s] %3.0f%%  %6.0f steps/s  eta %4.0fs%s", terminal ? "\r" : "",
               runs_done, runs, p.bar.c_str(), p.percent, p.rate, p.eta, terminal ? " " : "\n");
  std::fflush(stderr);
}

}  // namespace

const std::vector<std::string>& ablation_sweep_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Sweep& s : sweeps()) out.push_back(s.field);
    return out;
  }();
  return names;
}

void add_ablate_options(CLI::App& cmd, AblateOptions& o) {
  cmd.add_option("--sweep", o.sweeps, "What to vary (repeatable): all (the reference's eight), " +
                                          join_names(ablation_sweep_names()))
      ->required()
      ->delimiter(',');
  cmd.add_option("--values", o.values, "Comma-separated values instead of the sweep's own (one sweep only)")
      ->delimiter(',');
  cmd.add_option("--preset", o.preset, "What every run starts from: " + join_names(preset_names()))->capture_default_str();
  cmd.add_option("--dataset", o.dataset, "Dataset of every run (but the dataset sweep): " + join_names(dataset_names()))
      ->capture_default_str();
  cmd.add_option("--num_points", o.num_points, "Points drawn for the dataset")->capture_default_str();
  cmd.add_option("--num_epochs", o.num_epochs, "Epochs of every run")->capture_default_str();
  cmd.add_option("--checkpoint_every", o.checkpoint_every,
                 "A column every N epochs (0-based, as the reference's frames), plus the last")
      ->capture_default_str();
  cmd.add_option("--eval_batch_size", o.eval_batch_size, "Samples per cell")->capture_default_str();
  cmd.add_option("--seed", o.seed, "Seed of the data, weights, batches and sampling noise")->capture_default_str();
  cmd.add_option("--jobs", o.jobs, "Runs trained at once (0: one per core)")->capture_default_str();
  cmd.add_option("--out_dir", o.out_dir, "Folder that receives one folder per sweep")->capture_default_str();
  cmd.add_flag("--quiet", o.quiet, "No progress bar");
}

namespace {

// The sweeps --sweep names ("all": the reference's eight), checked with the run flags.
std::vector<const Sweep*> chosen_sweeps(const AblateOptions& o) {
  if (o.sweeps.empty()) throw ConfigError("--sweep is required (one of all, " + join_names(ablation_sweep_names()) + ")");
  std::vector<const Sweep*> chosen;
  for (const std::string& name : o.sweeps) {
    if (name != "all") {
      chosen.push_back(&find_sweep(name));
      continue;
    }
    for (const Sweep& s : sweeps())
      if (s.in_all) chosen.push_back(&s);
  }
  if (!o.values.empty() && chosen.size() != 1) throw ConfigError("--values needs exactly one --sweep");
  check_integer("--num_epochs", o.num_epochs, 1, RunLimits::kMaxEpochs);
  if (o.checkpoint_every < 1) {
    throw ConfigError("--checkpoint_every must be a positive integer (got " + std::to_string(o.checkpoint_every) + ")");
  }
  check_integer("--eval_batch_size", o.eval_batch_size, 1, RunLimits::kMaxEvalBatch);
  check_integer("--jobs", o.jobs, 0, 256);
  return chosen;
}

// Every run, set up (and its configuration checked) before any trains. No
// sweep changes the number of points or the batch size, so every run is
// equally long.
std::vector<Job> plan_jobs(const std::vector<const Sweep*>& chosen, const AblateOptions& o) {
  const int64_t planned_steps = int64_t(o.num_epochs) *
      steps_per_epoch_for(size_t(o.num_points), preset_config(o.preset, 0, "--preset").train.batch_size);
  std::vector<Job> jobs;
  for (size_t k = 0; k < chosen.size(); ++k) {
    for (const std::string& value : o.values.empty() ? chosen[k]->values : o.values) {
      Job job;
      job.sweep = k;
      job.value = value;
      job.setup.dataset = o.dataset;
      job.setup.planned_steps = planned_steps;
      job.setup.config = preset_config(o.preset, planned_steps, "--preset");
      apply(*chosen[k], job.setup, value);
      job.setup.config.train.seed = o.seed;
      validate(job.setup.config);
      job.data = make_dataset(job.setup.dataset, o.num_points, o.seed);
      job.steps = planned_steps;
      const ModelConfig& m = job.setup.config.model;
      job.cost = double(job.steps) * (double(m.hidden_size) * m.hidden_size * (m.hidden_layers + 1) +
                                      3.0 * m.embedding_size * m.hidden_size);
      jobs.push_back(std::move(job));
    }
  }
  return jobs;
}

// Trains every job, `workers` at a time, the heaviest first, drawing a
// progress line; a job that throws keeps its message in job.error.
void run_jobs(std::vector<Job>& jobs, int workers, const AblateOptions& o, const std::vector<int>& checkpoints) {
  std::vector<Job*> queue;
  for (Job& j : jobs) queue.push_back(&j);
  std::stable_sort(queue.begin(), queue.end(), [](const Job* a, const Job* b) { return a->cost > b->cost; });
  int64_t total_steps = 0;
  for (const Job& j : jobs) total_steps += j.steps;

  std::atomic<int64_t> progress{0};
  std::atomic<size_t> next_job{0};
  std::atomic<int> runs_done{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      for (size_t i = next_job++; i < queue.size(); i = next_job++) {
        try {
          run_job(*queue[i], o, checkpoints, progress);
        } catch (const std::exception& e) {
          queue[i]->error = e.what();
        }
        ++runs_done;
      }
    });
  }
  const bool terminal = isatty(fileno(stderr));
  const auto start = Clock::now();
  double last_line = 0;
  while (runs_done < int(jobs.size())) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (o.quiet || !(terminal || seconds_since(start) - last_line >= 30)) continue;
    last_line = seconds_since(start);
    draw_progress(std::min(progress.load(), total_steps), total_steps, runs_done, int(jobs.size()), last_line, terminal);
  }
  for (std::thread& t : threads) t.join();
  if (o.quiet) return;
  draw_progress(total_steps, total_steps, int(jobs.size()), int(jobs.size()), seconds_since(start), terminal);
  if (terminal) std::fprintf(stderr, "\n");
}

// One sweep's figure and tables, and its line of final distances.
void report_sweep(const Sweep& sweep, size_t k, const std::vector<Job>& jobs, const AblateOptions& o,
                  const std::vector<int>& checkpoints) {
  std::vector<const Job*> rows;
  for (const Job& j : jobs)
    if (j.sweep == k) rows.push_back(&j);
  const fs::path dir = fs::path(o.out_dir) / sweep.field;
  write_sweep(sweep, rows, o, checkpoints, dir);
  std::printf("%s:", sweep.field.c_str());
  for (const Job* j : rows) {
    if (j->diverged) std::printf("  %s diverged (epoch %d)", j->value.c_str(), j->diverged_epoch);
    else std::printf("  %s %.3f", j->value.c_str(), j->cells.back().quality.chamfer);
  }
  std::printf("   (final Chamfer distance)\n  wrote %s/{grid.svg, grid.png, scores.csv, scores.md}\n", dir.string().c_str());
}

}  // namespace

int run_ablate(const AblateOptions& o) {
  const std::vector<const Sweep*> chosen = chosen_sweeps(o);
  const std::vector<int> checkpoints = checkpoint_epochs(o.num_epochs, o.checkpoint_every);
  std::vector<Job> jobs = plan_jobs(chosen, o);
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const int workers = int(std::min<size_t>(o.jobs > 0 ? size_t(o.jobs) : cores, jobs.size()));
  if (!o.quiet) {
    std::fprintf(stderr, "tinydiff ablate: %zu sweep%s, %zu runs of %d epochs, %d at a time\n", chosen.size(),
                 chosen.size() == 1 ? "" : "s", jobs.size(), o.num_epochs, workers);
  }
  run_jobs(jobs, workers, o, checkpoints);
  for (const Job& j : jobs) {
    if (!j.error.empty()) throw std::runtime_error("run " + chosen[j.sweep]->field + "=" + j.value + " failed: " + j.error);
  }
  for (size_t k = 0; k < chosen.size(); ++k) report_sweep(*chosen[k], k, jobs, o, checkpoints);
  return 0;
}

}  // namespace tinydiff::cli
