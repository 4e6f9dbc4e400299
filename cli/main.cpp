// tinydiff: the command line. `tinydiff train` does what the reference
// `python ddpm.py` does (same flags, same defaults, same outputs), faster.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "ablate.hpp"
#include "plot.hpp"
#include "progress.hpp"
#include "tinydiff/config_fields.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/io.hpp"
#include "tinydiff/model_file.hpp"
#include "tinydiff/metrics.hpp"
#include "tinydiff/model_file.hpp"

namespace fs = std::filesystem;
using namespace tinydiff;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The sampling noise of every saved frame comes from one stream, so the
// frames show the same starting noise denoised by an ever better model.
constexpr uint64_t kEvalStream = 0xe7a1;

// What `train` takes besides the hyperparameters; those come from core's
// field table (config_fields.hpp), one flag per row that has one.
struct TrainOptions {
  std::string experiment_name = "base";
  std::string dataset = "dino";
  std::string data_file;
  int num_points = kDefaultDatasetSize;
  int eval_batch_size = 1000;
  int num_epochs = 200;
  int save_images_step = 1;
  std::string out_dir = "exps";
  bool no_images = false;
  bool quiet = false;
  std::string preset = "reference";
  std::string lr_decay = "constant";
  // The text of each hyperparameter flag given, by field (unset: the preset's).
  std::vector<std::pair<const ConfigField*, std::string>> fields;
  DiffusionConfig config;  // the preset with the flags given, filled by resolve_config
};

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The flag of one table row, bound to `text` (which must stay where it is).
template <typename Target>
CLI::Option* add_field_flag(CLI::App& cmd, const Field<Target>& field, std::string& text, std::string help) {
  if (field.kind == FieldKind::Choice) help += ": " + join(field.choices());
  const char* type = field.kind == FieldKind::Integer ? "INT" : field.kind == FieldKind::Real ? "FLOAT" : "TEXT";
  return cmd.add_option(field.cli_flag, text, help)->type_name(type);
}

void add_train_options(CLI::App& cmd, TrainOptions& o) {
  cmd.add_option("--experiment_name", o.experiment_name, "Name of the run: outputs go to OUT_DIR/NAME/")
      ->capture_default_str();
  auto* dataset = cmd.add_option("--dataset", o.dataset, "Preset dataset: " + join(dataset_names()))
                      ->capture_default_str();
  cmd.add_option("--data", o.data_file,
                 "Train on your own points instead: a CSV file of x,y rows (header optional)")
      ->excludes(dataset);
  cmd.add_option("--num_points", o.num_points, "Points drawn for a preset dataset")->capture_default_str();
  cmd.add_option("--eval_batch_size", o.eval_batch_size, "Points sampled for each saved frame")
      ->capture_default_str();
  cmd.add_option("--num_epochs", o.num_epochs, "Passes over the dataset")->capture_default_str();
  const DiffusionConfig defaults;
  o.fields.reserve(config_fields().size());
  for (const ConfigField& field : config_fields()) {
    if (!field.cli_flag) continue;
    o.fields.emplace_back(&field, "");
    add_field_flag(cmd, field, o.fields.back().second, field.help)->default_str(field.to_text(defaults));
  }
  cmd.add_option("--save_images_step", o.save_images_step, "Save a frame every N epochs (and the last)")
      ->capture_default_str();
  cmd.add_option("--out_dir", o.out_dir, "Folder that holds the experiments")->capture_default_str();
  cmd.add_flag("--no_images", o.no_images, "Skip the PNG scatter plots");
  cmd.add_flag("--quiet", o.quiet, "Print only errors and the final summary");
  cmd.add_option("--preset", o.preset,
                 "Starting point for the flags not given: reference (the original's defaults) or best "
                 "(T=100 quadratic 1e-4..0.2, --ema_decay 0.999, --lr_decay cosine, "
                 "--lr_final_fraction 0.1; see docs/ablations.md)")
      ->capture_default_str();
  cmd.add_option("--lr_decay", o.lr_decay, "Learning-rate schedule over the run: constant or cosine")
      ->capture_default_str();
}

// The preset, then every hyperparameter flag given on top of it.
void resolve_config(const CLI::App& cmd, TrainOptions& o) {
  // The decay length is the run's (set in run_train); any positive length
  // here just says whether the preset decays.
  o.config = preset_config(o.preset, 1, "--preset");
  if (cmd.get_option("--lr_decay")->count() == 0) o.lr_decay = o.config.train.lr_decay_steps > 0 ? "cosine" : "constant";
  if (o.lr_decay != "constant" && o.lr_decay != "cosine") {
    throw ConfigError("--lr_decay must be one of constant, cosine (got \"" + o.lr_decay + "\")");
  }
  for (const auto& [field, text] : o.fields) {
    if (cmd.get_option(field->cli_flag)->count() > 0) field->set_from_text(o.config, text, NameStyle::Flag);
  }
  validate(o.config, NameStyle::Flag);
}

void add_ablate_options(CLI::App& cmd, cli::AblateOptions& o) {
  cmd.add_option("--sweep", o.sweeps, "What to vary (repeatable): all (the reference's eight), " +
                                          join(cli::ablation_sweep_names()))
      ->required()
      ->delimiter(',');
  cmd.add_option("--values", o.values, "Comma-separated values instead of the sweep's own (one sweep only)")
      ->delimiter(',');
  cmd.add_option("--preset", o.preset, "What every run starts from: " + join(preset_names()))->capture_default_str();
  cmd.add_option("--dataset", o.dataset, "Dataset of every run (but the dataset sweep): " + join(dataset_names()))
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

void check_positive(const char* flag, long long value, long long max) {
  if (value < 1 || value > max) {
    throw ConfigError(std::string(flag) + " must be an integer from 1 to " + std::to_string(max) +
                      " (got " + std::to_string(value) + ")");
  }
}

// A one-line progress bar, redrawn in place on a terminal.
class Progress {
 public:
  Progress(int64_t total, bool terminal, bool quiet)
      : total_(total), terminal_(terminal), quiet_(quiet), start_(Clock::now()) {}

  // Time spent outside training (sampling frames) is left out of steps/s.
  void exclude(double seconds) { excluded_ += seconds; }

  void set_distance(double chamfer) { distance_ = chamfer; }

  void update(int64_t done, int epoch, int epochs, double loss, bool force = false) {
    if (quiet_) return;
    const double elapsed = seconds_since(start_) - excluded_;
    if (terminal_) {
      if (!force && elapsed - last_draw_ < 0.1 && elapsed >= last_draw_) return;
      last_draw_ = elapsed;
      const cli::ProgressLine p = cli::progress_line(done, total_, elapsed);
      std::fprintf(stderr, "\r  epoch %4d/%d [%s] %3.0f%%  loss %.4f  distance %.3f  %6.0f steps/s  eta %4.0fs ",
                   epoch, epochs, p.bar.c_str(), p.percent, loss, distance_, p.rate, p.eta);
      std::fflush(stderr);
    } else if (force) {
      std::fprintf(stderr, "  epoch %d/%d  loss %.4f  distance %.4f  %.0f steps/s\n", epoch, epochs, loss,
                   distance_, elapsed > 0 ? double(done) / elapsed : 0);
    }
  }
  void finish() {
    if (terminal_ && !quiet_) std::fprintf(stderr, "\n");
  }

 private:
  int64_t total_;
  bool terminal_, quiet_;
  Clock::time_point start_;
  double last_draw_ = -1;
  double excluded_ = 0;
  double distance_ = std::nan("");
};

int run_train(const TrainOptions& o) {
  const DiffusionConfig& config = o.config;
  check_positive("--num_epochs", o.num_epochs, 1'000'000);
  check_positive("--eval_batch_size", o.eval_batch_size, Diffusion::kMaxSamples);
  check_positive("--save_images_step", o.save_images_step, 1'000'000);
  if (o.experiment_name.empty() || o.experiment_name.find('/') != std::string::npos ||
      o.experiment_name == "." || o.experiment_name == "..") {
    throw ConfigError("--experiment_name must be a plain folder name (got \"" + o.experiment_name + "\")");
  }

  std::vector<float> data = o.data_file.empty() ? make_dataset(o.dataset, o.num_points, config.train.seed)
                                                 : read_points_csv(o.data_file);
  DiffusionConfig run_config = config;
  if (o.lr_decay == "cosine") {  // over the whole run
    run_config.train.lr_decay_steps = int64_t(o.num_epochs) * steps_per_epoch_for(data.size() / 2, config.train.batch_size);
  }
  Diffusion model(run_config);
  model.set_data(data);
  const size_t n_data = model.num_points();
  const int64_t steps_per_epoch = model.steps_per_epoch();

  const fs::path out = fs::path(o.out_dir) / o.experiment_name;
  const fs::path images = out / "images";
  std::error_code ec;
  fs::create_directories(o.no_images ? out : images, ec);
  if (ec) throw IoError("cannot create \"" + out.string() + "\": " + ec.message());

  const bool terminal = isatty(fileno(stderr));
  if (!o.quiet) {
    if (o.preset != "reference") std::fprintf(stderr, "tinydiff: preset %s\n", o.preset.c_str());
    std::fprintf(stderr, "tinydiff: %s, %zu points%s, %d epochs x %lld steps (batch %d), %zu parameters\n",
                 o.data_file.empty() ? o.dataset.c_str() : o.data_file.c_str(), n_data,
                 n_data < size_t(config.train.batch_size) ? " (fewer than a batch: each step uses all)" : "",
                 o.num_epochs, (long long)steps_per_epoch, model.effective_batch_size(),
                 model.layout().num_params);
  }

  std::vector<float> losses;
  losses.reserve(size_t(steps_per_epoch) * size_t(o.num_epochs));
  std::vector<float> frames;
  std::vector<int> frame_epochs;
  std::vector<QualityScore> scores;
  const uint64_t eval_seed = config.train.seed ^ kEvalStream;
  Progress progress(steps_per_epoch * o.num_epochs, terminal, o.quiet);
  double train_seconds = 0, sample_seconds = 0;
  int sample_runs = 0;
  bool diverged = false;

  for (int epoch = 0; epoch < o.num_epochs && !diverged; ++epoch) {
    const auto t0 = Clock::now();
    double epoch_loss = 0;
    for (int64_t s = 0; s < steps_per_epoch; ++s) {
      const float loss = model.step();
      if (model.diverged()) {
        diverged = true;
        break;
      }
      losses.push_back(loss);
      epoch_loss += loss;
      if ((s & 15) == 0) progress.update(int64_t(losses.size()), epoch + 1, o.num_epochs, loss);
    }
    train_seconds += seconds_since(t0);
    if (diverged) break;
    epoch_loss /= double(steps_per_epoch);
    const bool last = epoch == o.num_epochs - 1;
    if (epoch % o.save_images_step == 0 || last) {
      const auto t1 = Clock::now();
      const auto sample = model.sample(o.eval_batch_size, eval_seed);
      sample_seconds += seconds_since(t1);
      ++sample_runs;
      scores.push_back(quality_score(sample.data(), size_t(o.eval_batch_size), model.data().data(), n_data));
      progress.set_distance(scores.back().chamfer);
      progress.exclude(seconds_since(t1));
      frames.insert(frames.end(), sample.begin(), sample.end());
      frame_epochs.push_back(epoch);
    }
    const bool report = !terminal && (o.num_epochs <= 10 || (epoch + 1) % (o.num_epochs / 10) == 0);
    progress.update(int64_t(losses.size()), epoch + 1, o.num_epochs, epoch_loss, last || report);
  }
  progress.finish();

  // Outputs, as the reference: the model, loss.npy, frames.npy, images/.
  write_binary_file((out / "model.safetensors").string(), save_safetensors(model));
  write_npy((out / "loss.npy").string(), losses.data(), {losses.size()});
  write_npy((out / "frames.npy").string(), frames.data(),
            {frame_epochs.size(), size_t(o.eval_batch_size), 2});
  std::ostringstream table;
  table << "epoch,chamfer,sample_to_data,data_to_sample,precision,coverage\n";
  for (size_t i = 0; i < scores.size(); ++i) {
    table << frame_epochs[i] << ',' << scores[i].chamfer << ',' << scores[i].sample_to_data << ','
          << scores[i].data_to_sample << ',' << scores[i].precision << ',' << scores[i].coverage
          << '\n';
  }
  write_text_file((out / "scores.csv").string(), table.str());
  if (!o.no_images) {
    for (size_t i = 0; i < frame_epochs.size(); ++i) {
      char name[32];
      std::snprintf(name, sizeof(name), "%04zu.png", i);
      cli::write_scatter_png((images / name).string(), frames.data() + i * size_t(o.eval_batch_size) * 2,
                        size_t(o.eval_batch_size), "epoch " + std::to_string(frame_epochs[i]));
    }
  }

  if (diverged) {
    std::fprintf(stderr,
                 "error: training diverged at step %lld (epoch %lld): the loss became %s.\n"
                 "       The last good model and the losses of the %zu steps before it are in %s.\n"
                 "       Try a lower --learning_rate (now %g).\n",
                 (long long)model.step_count() + 1, (long long)model.epoch() + 1,
                 "NaN or infinite", losses.size(), out.string().c_str(), config.train.learning_rate);
    return 3;
  }
  const QualityScore& final_score = scores.back();
  std::printf("trained %zu steps in %.1f s (%.0f steps/s); final loss %.4f\n", losses.size(),
              train_seconds, double(losses.size()) / train_seconds,
              losses.empty() ? 0.0 : double(losses.back()));
  std::printf("sampling %d points over %d steps: %.3f s per frame\n", o.eval_batch_size,
              config.schedule.num_timesteps, sample_seconds / sample_runs);
  std::printf("final frame: chamfer %.4f (samples->data %.4f, data->samples %.4f), "
              "%.1f%% of samples within 0.1 of the data, %.1f%% of the data covered\n",
              final_score.chamfer, final_score.sample_to_data, final_score.data_to_sample,
              100 * final_score.precision, 100 * final_score.coverage);
  std::printf("wrote %s/{model.safetensors, loss.npy, frames.npy, scores.csv%s}\n",
              out.string().c_str(), o.no_images ? "" : ", images/");
  return 0;
}

// Options of `sample` and `eval`: the model, the sampler, and what a file
// without metadata (a PyTorch state_dict) cannot say.
struct ModelOptions {
  std::string model;
  int n = 1000;
  uint64_t seed = 0;
  // The text of each sampling option's flag (core's sample_option_fields()).
  std::vector<std::pair<const SampleOptionField*, std::string>> sampling;
  // The text of each metadata-only field's flag (the kinds, the schedule).
  std::vector<std::pair<const ConfigField*, std::string>> fallback;
};

// Binds the flags to `o`'s strings, which must stay where they are: one
// ModelOptions per subcommand, filled once.
void add_model_options(CLI::App& cmd, ModelOptions& o) {
  cmd.add_option("--model", o.model, "A model file (.safetensors) written by tinydiff or by PyTorch")->required();
  cmd.add_option("--n", o.n, "Points to sample")->capture_default_str();
  cmd.add_option("--seed", o.seed, "Seed of the sampling noise")->capture_default_str();
  const SampleOptions default_sampling;
  o.sampling.reserve(sample_option_fields().size());
  for (const SampleOptionField& field : sample_option_fields()) {
    o.sampling.emplace_back(&field, field.to_text(default_sampling));
    add_field_flag(cmd, field, o.sampling.back().second, field.help)->capture_default_str();
  }
  auto* group = cmd.add_option_group("for files without metadata (a PyTorch state_dict)");
  const DiffusionConfig defaults;
  o.fallback.reserve(config_fields().size());
  for (const ConfigField& field : config_fields()) {
    if (field.in_model_file != InModelFile::MetadataOnly || !field.cli_flag) continue;
    o.fallback.emplace_back(&field, field.to_text(defaults));
    add_field_flag(*group, field, o.fallback.back().second, std::string(field.help) + " the model was trained with")
        ->capture_default_str();
  }
}

std::unique_ptr<Diffusion> load_model(const ModelOptions& o, SampleOptions& sampling) {
  DiffusionConfig fallback;
  for (const auto& [field, text] : o.fallback) field->set_from_text(fallback, text, NameStyle::Flag);
  for (const auto& [field, text] : o.sampling) field->set_from_text(sampling, text, NameStyle::Flag);
  check_positive("--n", o.n, Diffusion::kMaxSamples);
  return make_model(read_model_file(o.model, fallback));
}

int run_sample(const ModelOptions& o, const std::string& out) {
  const bool csv = out.size() > 4 && out.substr(out.size() - 4) == ".csv";
  const bool npy = out.size() > 4 && out.substr(out.size() - 4) == ".npy";
  if (!csv && !npy) throw ConfigError("--out must name a .csv or .npy file (got \"" + out + "\")");
  SampleOptions sampling;
  auto model = load_model(o, sampling);
  const auto t0 = Clock::now();
  const auto xy = model->sample(o.n, o.seed, nullptr, sampling);
  const double seconds = seconds_since(t0);
  if (csv) write_text_file(out, format_points_csv(xy.data(), size_t(o.n)));
  else write_npy(out, xy.data(), {size_t(o.n), 2});
  std::printf("sampled %d points with %s (%d steps) in %.3f s: %s\n", o.n, to_string(sampling.sampler).c_str(),
              sampling.sampler != Sampler::Ddpm && sampling.steps ? sampling.steps : model->num_timesteps(),
              seconds, out.c_str());
  return 0;
}

int run_eval(const ModelOptions& o, const std::string& dataset, const std::string& data_file,
             int num_points, uint64_t data_seed, int draws, double radius) {
  SampleOptions sampling;
  auto model = load_model(o, sampling);
  check_positive("--draws", draws, 1000);
  if (!(radius > 0 && std::isfinite(radius))) throw ConfigError("--radius must be a positive number");
  const auto data = data_file.empty() ? make_dataset(dataset, num_points, data_seed) : read_points_csv(data_file);
  QualityScore mean;
  SpreadScore spread;
  for (int d = 0; d < draws; ++d) {
    const auto xy = model->sample(o.n, o.seed + uint64_t(d), nullptr, sampling);
    const auto s = quality_score(xy.data(), size_t(o.n), data.data(), data.size() / 2, radius);
    const auto extent = spread_score(xy.data(), size_t(o.n), data.data(), data.size() / 2);
    spread.std_x_ratio += extent.std_x_ratio / draws;
    spread.std_y_ratio += extent.std_y_ratio / draws;
    spread.corner_fill += extent.corner_fill / draws;
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
  std::printf("spread: sample std %.3f (x) and %.3f (y) of the data's", spread.std_x_ratio, spread.std_y_ratio);
  if (std::isfinite(spread.corner_fill)) {
    std::printf("; the bounding box's 0.5 x 0.5 corners %.0f%% as full as the data's", 100 * spread.corner_fill);
  }
  std::printf("\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "tinydiff: a tiny DDPM that learns 2D point clouds (a C++ port of tiny-diffusion).\n"
      "Run `tinydiff COMMAND --help` for the options of train, ablate, sample and eval."};
  app.require_subcommand(1);
  TrainOptions options;
  CLI::App* train = app.add_subcommand(
      "train",
      "Train a model as the reference `python ddpm.py` does; writes OUT_DIR/NAME/ with\n"
      "model.safetensors, loss.npy (one float32 per step), frames.npy ([frames, eval_batch_size, 2]),\n"
      "scores.csv and images/NNNN.png");
  add_train_options(*train, options);

  cli::AblateOptions ablate_options;
  CLI::App* ablate = app.add_subcommand(
      "ablate",
      "Sweep one hyperparameter as the reference's ablations do: trains one model per value (side by\n"
      "side on every core) and writes OUT_DIR/SWEEP/ with grid.svg and grid.png (rows: values, columns:\n"
      "checkpoint epochs, 1000 samples each) and scores.csv / scores.md (the quality score of every cell)");
  add_ablate_options(*ablate, ablate_options);

  // One each: the flags bind to their options' strings.
  ModelOptions sample_options, eval_options;
  std::string out;
  CLI::App* sample = app.add_subcommand("sample", "Sample points from a model file; writes .csv or .npy");
  add_model_options(*sample, sample_options);
  sample->add_option("--out", out, "Output file: FILE.csv (x,y rows) or FILE.npy (float32 [n, 2])")->required();

  std::string eval_dataset = "dino", eval_data;
  int eval_points = kDefaultDatasetSize, draws = 1;
  uint64_t data_seed = 0;
  double radius = 0.1;
  CLI::App* eval = app.add_subcommand("eval", "Score a model's samples against a dataset (Chamfer distance, precision, coverage)");
  add_model_options(*eval, eval_options);
  auto* eval_set = eval->add_option("--dataset", eval_dataset, "Preset to compare with: " + join(dataset_names()))->capture_default_str();
  eval->add_option("--data", eval_data, "Or a CSV file of x,y points")->excludes(eval_set);
  eval->add_option("--num_points", eval_points, "Points drawn for the preset")->capture_default_str();
  eval->add_option("--data_seed", data_seed, "Seed of the preset's points")->capture_default_str();
  eval->add_option("--draws", draws, "Average over this many draws of --n samples (seeds seed, seed+1, ...)")->capture_default_str();
  eval->add_option("--radius", radius, "Radius of precision and coverage")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (train->parsed()) {
      resolve_config(*train, options);
      return run_train(options);
    }
    if (ablate->parsed()) return cli::run_ablate(ablate_options);
    if (sample->parsed()) return run_sample(sample_options, out);
    if (eval->parsed()) return run_eval(eval_options, eval_dataset, eval_data, eval_points, data_seed, draws, radius);
  } catch (const ModelFileError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const IoError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
