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

struct Sweep {
  std::string name;   // also the `tinydiff train` flag it varies
  std::string title;  // figure title
  std::vector<std::string> values;
  // Applies one value to a run; throws ConfigError for a bad value.
  std::function<void(RunSetup&, const std::string&)> apply;
  bool in_all = true;  // part of --sweep all
};

double parse_number(const std::string& sweep, const std::string& value, const char* kind = "numbers") {
  try {
    size_t used = 0;
    const double v = std::stod(value, &used);
    if (used == value.size()) return v;
  } catch (const std::exception&) {
  }
  throw ConfigError("--values of the " + sweep + " sweep must be " + kind + " (got \"" + value + "\")");
}

int parse_int(const std::string& sweep, const std::string& value) {
  const double v = parse_number(sweep, value, "integers");
  if (v != std::floor(v) || std::fabs(v) > 1e9) {
    throw ConfigError("--values of the " + sweep + " sweep must be integers (got \"" + value + "\")");
  }
  return int(v);
}

const std::vector<Sweep>& sweeps() {
  static const std::vector<Sweep> all = {
      {"learning_rate", "Learning rate", {"1e-2", "1e-3", "1e-4", "1e-5"},
       [](RunSetup& r, const std::string& v) { r.config.train.learning_rate = parse_number("learning_rate", v); }},
      {"dataset", "Dataset", {"moons", "dino", "line", "circle"},
       [](RunSetup& r, const std::string& v) { r.dataset = v; }},
      {"num_timesteps", "Number of timesteps", {"5", "10", "25", "50", "100", "250"},
       [](RunSetup& r, const std::string& v) { r.config.schedule.num_timesteps = parse_int("num_timesteps", v); }},
      {"beta_schedule", "Variance schedule", {"linear", "quadratic", "cosine", "sigmoid"},
       [](RunSetup& r, const std::string& v) { r.config.schedule.beta_schedule = parse_beta_schedule(v, "--values"); }},
      {"hidden_size", "Hidden size", {"16", "32", "64", "128", "256", "512"},
       [](RunSetup& r, const std::string& v) { r.config.model.hidden_size = parse_int("hidden_size", v); }},
      {"hidden_layers", "Number of hidden layers", {"1", "2", "3", "4", "5"},
       [](RunSetup& r, const std::string& v) { r.config.model.hidden_layers = parse_int("hidden_layers", v); }},
      {"time_embedding", "Time embedding", {"learnable", "sinusoidal", "linear", "zero"},
       [](RunSetup& r, const std::string& v) { r.config.model.time_embedding = parse_time_embedding(v, "--values"); }},
      {"input_embedding", "Input embedding", {"learnable", "sinusoidal", "linear", "identity"},
       [](RunSetup& r, const std::string& v) { r.config.model.input_embedding = parse_input_embedding(v, "--values"); }},
      {"preset", "Preset", {"reference", "best"},
       [](RunSetup& r, const std::string& v) {
         r.config = preset_config(v, r.planned_steps, "--values");
       },
       false},
  };
  return all;
}

const Sweep& find_sweep(const std::string& name) {
  for (const Sweep& s : sweeps()) {
    if (s.name == name) return s;
  }
  std::string allowed = "all";
  for (const Sweep& s : sweeps()) allowed += ", " + s.name;
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

std::vector<int> checkpoint_epochs(int epochs, int every) {
  std::vector<int> out;
  for (int e = 0; e < epochs; e += every) out.push_back(e);
  if (out.back() != epochs - 1) out.push_back(epochs - 1);
  return out;
}

void run_job(Job& job, const AblateOptions& o, const std::vector<int>& checkpoints,
             std::atomic<int64_t>& progress) {
  Diffusion model(job.setup.config);
  model.set_data(job.data);
  const int64_t per_epoch = model.steps_per_epoch();
  const uint64_t eval_seed = o.seed ^ kEvalStream;
  size_t next = 0;
  for (int epoch = 0; epoch < o.num_epochs && next < checkpoints.size(); ++epoch) {
    for (int64_t s = 0; s < per_epoch; ++s) {
      model.step();
      if (model.diverged()) {
        job.diverged = true;
        job.diverged_epoch = epoch;
        progress += (int64_t(o.num_epochs) - epoch) * per_epoch - s;
        job.cells.resize(checkpoints.size());
        return;
      }
      if ((s & 63) == 63) progress += 64;
    }
    progress += per_epoch & 63;
    if (epoch == checkpoints[next]) {
      Cell cell;
      cell.samples = model.sample(o.eval_batch_size, eval_seed, nullptr, default_sampling(model.objective()));
      const size_t n = size_t(o.eval_batch_size), m = model.num_points();
      cell.quality = quality_score(cell.samples.data(), n, job.data.data(), m);
      cell.spread = spread_score(cell.samples.data(), n, job.data.data(), m);
      job.cells.push_back(std::move(cell));
      ++next;
    }
  }
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
  figure.title = sweep.name == "preset" ? "Reference vs best preset" : sweep.title + " (" + sweep.name + ")";
  std::ostringstream note;
  note << (sweep.name == "dataset" ? std::string("each dataset") : o.dataset) << ", "
       << (sweep.name == "preset" ? std::string("each") : o.preset) << " preset, " << o.num_epochs << " epochs, " << o.eval_batch_size
       << " samples a cell; number: Chamfer distance to the data";
  figure.note = note.str();
  for (int e : checkpoints) figure.column_labels.push_back("epoch " + std::to_string(e));

  std::ostringstream csv, md;
  csv << "sweep,value,epoch,chamfer,sample_to_data,data_to_sample,precision,coverage,std_x_ratio,"
         "std_y_ratio,corner_fill\n";
  md << "| " << sweep.name;
  for (int e : checkpoints) md << " | " << e;
  md << " | precision | coverage | std x | std y |\n|---";
  for (size_t i = 0; i < checkpoints.size() + 4; ++i) md << "|---:";
  md << "|\n";

  for (const Job* job : rows) {
    figure.row_labels.push_back(sweep.name == "learning_rate" || sweep.name == "dataset" ||
                                        sweep.name == "preset"
                                    ? job->value
                                    : sweep.name + " " + job->value);
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
      csv << sweep.name << ',' << job->value << ',' << checkpoints[c] << ',' << cell.quality.chamfer
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
    for (const Sweep& s : sweeps()) out.push_back(s.name);
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

int run_ablate(const AblateOptions& o) {
  if (o.sweeps.empty()) throw ConfigError("--sweep is required (one of all, " + [] {
    std::string s;
    for (const auto& n : ablation_sweep_names()) s += (s.empty() ? "" : ", ") + n;
    return s;
  }() + ")");
  std::vector<const Sweep*> chosen;
  for (const std::string& name : o.sweeps) {
    if (name == "all") {
      for (const Sweep& s : sweeps())
        if (s.in_all) chosen.push_back(&s);
    } else {
      chosen.push_back(&find_sweep(name));
    }
  }
  if (!o.values.empty() && chosen.size() != 1) {
    throw ConfigError("--values needs exactly one --sweep");
  }
  check_integer("--num_epochs", o.num_epochs, 1, RunLimits::kMaxEpochs);
  if (o.checkpoint_every < 1) {
    throw ConfigError("--checkpoint_every must be a positive integer (got " + std::to_string(o.checkpoint_every) + ")");
  }
  check_integer("--eval_batch_size", o.eval_batch_size, 1, RunLimits::kMaxEvalBatch);
  if (o.jobs < 0 || o.jobs > 256) {
    throw ConfigError("--jobs must be an integer from 0 (one per core) to 256 (got " + std::to_string(o.jobs) + ")");
  }
  const std::vector<int> checkpoints = checkpoint_epochs(o.num_epochs, o.checkpoint_every);

  // Every run is set up (and its configuration checked) before any trains.
  // No sweep changes the number of points or the batch size, so every run
  // is equally long.
  const int64_t planned_steps =
      int64_t(o.num_epochs) * steps_per_epoch_for(size_t(o.num_points), preset_config(o.preset, 0, "--preset").train.batch_size);
  std::vector<Job> jobs;
  for (size_t k = 0; k < chosen.size(); ++k) {
    const Sweep& sweep = *chosen[k];
    for (const std::string& value : o.values.empty() ? sweep.values : o.values) {
      Job job;
      job.sweep = k;
      job.value = value;
      job.setup.dataset = o.dataset;
      job.setup.planned_steps = planned_steps;
      job.setup.config = preset_config(o.preset, planned_steps, "--preset");
      sweep.apply(job.setup, value);
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
  std::vector<Job*> queue;
  for (Job& j : jobs) queue.push_back(&j);
  std::stable_sort(queue.begin(), queue.end(), [](const Job* a, const Job* b) { return a->cost > b->cost; });

  int64_t total_steps = 0;
  for (const Job& j : jobs) total_steps += j.steps;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const int workers = int(std::min<size_t>(o.jobs > 0 ? size_t(o.jobs) : cores, jobs.size()));
  const bool terminal = isatty(fileno(stderr));
  if (!o.quiet) {
    std::fprintf(stderr, "tinydiff ablate: %zu sweep%s, %zu runs of %d epochs, %d at a time\n", chosen.size(),
                 chosen.size() == 1 ? "" : "s", jobs.size(), o.num_epochs, workers);
  }

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
  const auto start = Clock::now();
  auto elapsed = [&] { return seconds_since(start); };
  double last_line = 0;
  while (runs_done < int(jobs.size())) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (o.quiet) continue;
    if (terminal || elapsed() - last_line >= 30) {
      last_line = elapsed();
      draw_progress(std::min(progress.load(), total_steps), total_steps, runs_done, int(jobs.size()), elapsed(), terminal);
    }
  }
  for (std::thread& t : threads) t.join();
  if (!o.quiet) {
    draw_progress(total_steps, total_steps, int(jobs.size()), int(jobs.size()), elapsed(), terminal);
    if (terminal) std::fprintf(stderr, "\n");
  }
  for (const Job& j : jobs) {
    if (!j.error.empty()) throw std::runtime_error("run " + chosen[j.sweep]->name + "=" + j.value + " failed: " + j.error);
  }

  for (size_t k = 0; k < chosen.size(); ++k) {
    std::vector<const Job*> rows;
    for (const Job& j : jobs)
      if (j.sweep == k) rows.push_back(&j);
    const fs::path dir = fs::path(o.out_dir) / chosen[k]->name;
    write_sweep(*chosen[k], rows, o, checkpoints, dir);
    std::printf("%s:", chosen[k]->name.c_str());
    for (const Job* j : rows) {
      if (j->diverged) std::printf("  %s diverged (epoch %d)", j->value.c_str(), j->diverged_epoch);
      else std::printf("  %s %.3f", j->value.c_str(), j->cells.back().quality.chamfer);
    }
    std::printf("   (final Chamfer distance)\n  wrote %s/{grid.svg, grid.png, scores.csv, scores.md}\n",
                dir.string().c_str());
  }
  return 0;
}

}  // namespace tinydiff::cli
