#include "train.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <thread>

#include "common.hpp"
#include "plot.hpp"
#include "progress.hpp"
#include "training_loop.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/io.hpp"
#include "tinydiff/memorisation.hpp"
#include "tinydiff/metrics.hpp"
#include "tinydiff/model_file.hpp"

namespace fs = std::filesystem;

namespace tinydiff::cli {

void add_train_options(CLI::App& cmd, TrainOptions& o) {
  cmd.add_option("--experiment_name", o.experiment_name, "Name of the run: outputs go to OUT_DIR/NAME/")
      ->capture_default_str();
  auto* dataset = cmd.add_option("--dataset", o.dataset, "Preset dataset: " + join_names(dataset_names()))
                      ->capture_default_str();
  cmd.add_option("--data", o.data_file,
                 "Train on your own points instead: a CSV file of x,y rows, or x,y,label rows (labels 0..7) "
                 "for a conditional model (header optional)")
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
  cmd.add_option("--threads", o.threads,
                 "Threads of a training step (0: one a core). Batches split in shards of at least 16 points; "
                 "a run repeats exactly for a given count, and differs from another count's in float rounding")
      ->check(CLI::Range(0, Diffusion::kMaxThreads))
      ->capture_default_str();
  cmd.add_option("--preset", o.preset,
                 "Starting point for the flags not given: reference (the original's defaults), best "
                 "(T=100 quadratic 1e-4..0.2, --ema_decay 0.999, --lr_decay cosine, "
                 "--lr_final_fraction 0.1) or quick (best with --hidden_size 64 --embedding_size 32 "
                 "--learning_rate 2e-3 --lr_warmup_steps 200: the page's default); see docs/ablations.md")
      ->capture_default_str();
  cmd.add_option("--lr_decay", o.lr_decay, "Learning-rate schedule over the run: constant or cosine")
      ->capture_default_str();
}

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

namespace {

void check_run_options(const TrainOptions& o) {
  check_integer("--num_epochs", o.num_epochs, 1, RunLimits::kMaxEpochs);
  check_integer("--eval_batch_size", o.eval_batch_size, 1, RunLimits::kMaxEvalBatch);
  check_integer("--save_images_step", o.save_images_step, 1, RunLimits::kMaxEpochs);
  if (o.experiment_name.empty() || o.experiment_name.find('/') != std::string::npos ||
      o.experiment_name == "." || o.experiment_name == "..") {
    throw ConfigError("--experiment_name must be a plain folder name (got \"" + o.experiment_name + "\")");
  }
}

// The model of the run on its data: a cosine decay spans the whole run, and
// labelled points train a conditional model.
Diffusion make_run_model(const TrainOptions& o) {
  PointSet data = o.data_file.empty() ? make_points(o.dataset, o.num_points, o.config.train.seed)
                                       : read_points_csv(o.data_file);
  DiffusionConfig config = o.config;
  if (o.lr_decay == "cosine") {
    config.train.lr_decay_steps = int64_t(o.num_epochs) * steps_per_epoch_for(data.size(), config.train.batch_size);
  }
  config.model.num_classes = data.num_classes();
  Diffusion model(config);
  model.set_points(std::move(data));
  model.set_threads(o.threads > 0 ? o.threads
                                  : std::clamp(int(std::thread::hardware_concurrency()), 1, Diffusion::kMaxThreads));
  return model;
}

void print_run_header(const TrainOptions& o, const Diffusion& model) {
  if (o.quiet) return;
  if (o.preset != "reference") std::fprintf(stderr, "tinydiff: preset %s\n", o.preset.c_str());
  const std::string classes =
      model.num_classes() > 0 ? " in " + std::to_string(model.num_classes()) + " classes" : std::string();
  const std::string held_out =
      model.held_out().size() ? " (a seeded subset; " + std::to_string(model.held_out().size()) + " held out)" : std::string();
  std::fprintf(stderr, "tinydiff: %s, %zu points%s%s%s, %d epochs x %lld steps (batch %d), %zu parameters\n",
               o.data_file.empty() ? o.dataset.c_str() : o.data_file.c_str(), model.num_points(), held_out.c_str(),
               classes.c_str(),
               model.num_points() < size_t(o.config.train.batch_size) ? " (fewer than a batch: each step uses all)" : "",
               o.num_epochs, (long long)model.steps_per_epoch(), model.effective_batch_size(), model.layout().num_params);
}

// What a run records: every step's loss, and at each checkpoint its samples and score.
struct RunRecord {
  std::vector<float> losses, frames;
  std::vector<int> frame_epochs;
  std::vector<QualityScore> scores;
  double sample_seconds = 0;
};

RunRecord train_recording(const TrainOptions& o, Diffusion& model, TrainingLoopResult& result) {
  RunRecord record;
  const int64_t per_epoch = model.steps_per_epoch();
  record.losses.reserve(size_t(per_epoch) * size_t(o.num_epochs));
  const bool terminal = isatty(fileno(stderr));
  TrainProgress progress(per_epoch * o.num_epochs, terminal, o.quiet);
  std::vector<int> checkpoints = checkpoint_epochs(o.num_epochs, o.save_images_step);
  TrainingLoopHooks hooks;
  hooks.on_step = [&](float loss, int epoch, int64_t s) {
    record.losses.push_back(loss);
    if ((s & 15) == 0) progress.update(int64_t(record.losses.size()), epoch + 1, o.num_epochs, loss);
  };
  hooks.on_checkpoint = [&](int epoch, std::vector<float> samples, double seconds) {
    const auto start = Clock::now();
    record.scores.push_back(quality_score(samples.data(), samples.size() / 2, model.data().data(), model.num_points()));
    progress.set_distance(record.scores.back().chamfer);
    progress.exclude(seconds + seconds_since(start));
    record.sample_seconds += seconds;
    record.frames.insert(record.frames.end(), samples.begin(), samples.end());
    record.frame_epochs.push_back(epoch);
  };
  hooks.on_epoch_end = [&](int epoch, double mean_loss) {
    const bool last = epoch == o.num_epochs - 1;
    const bool report = !terminal && (o.num_epochs <= 10 || (epoch + 1) % (o.num_epochs / 10) == 0);
    progress.update(int64_t(record.losses.size()), epoch + 1, o.num_epochs, mean_loss, last || report);
  };
  result = train_with_checkpoints(model, o.num_epochs, checkpoints, o.eval_batch_size,
                                  o.config.train.seed ^ kEvalStream, hooks);
  progress.finish();
  return record;
}

// As the reference: the model, loss.npy, frames.npy, images/; and scores.csv.
void write_outputs(const TrainOptions& o, const Diffusion& model, const RunRecord& r, const fs::path& out) {
  write_binary_file((out / "model.safetensors").string(), save_safetensors(model));
  write_npy((out / "loss.npy").string(), r.losses.data(), {r.losses.size()});
  write_npy((out / "frames.npy").string(), r.frames.data(), {r.frame_epochs.size(), size_t(o.eval_batch_size), 2});
  std::ostringstream table;
  table << "epoch,chamfer,sample_to_data,data_to_sample,precision,coverage\n";
  for (size_t i = 0; i < r.scores.size(); ++i) {
    const QualityScore& q = r.scores[i];
    table << r.frame_epochs[i] << ',' << q.chamfer << ',' << q.sample_to_data << ',' << q.data_to_sample << ','
          << q.precision << ',' << q.coverage << '\n';
  }
  write_text_file((out / "scores.csv").string(), table.str());
  if (o.no_images) return;
  for (size_t i = 0; i < r.frame_epochs.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof(name), "%04zu.png", i);
    write_scatter_png((out / "images" / name).string(), r.frames.data() + i * size_t(o.eval_batch_size) * 2,
                      size_t(o.eval_batch_size), "epoch " + std::to_string(r.frame_epochs[i]));
  }
}

void print_summary(const TrainOptions& o, const Diffusion& model, const RunRecord& r, const TrainingLoopResult& result,
                   const fs::path& out) {
  const QualityScore& q = r.scores.back();
  std::printf("trained %zu steps in %.1f s (%.0f steps/s); final loss %.4f\n", r.losses.size(), result.train_seconds,
              double(r.losses.size()) / result.train_seconds, r.losses.empty() ? 0.0 : double(r.losses.back()));
  std::printf("sampling %d points over %d steps: %.3f s per frame\n", o.eval_batch_size,
              o.config.schedule.num_timesteps, r.sample_seconds / double(r.frame_epochs.size()));
  std::printf("final frame: chamfer %.4f (samples->data %.4f, data->samples %.4f), "
              "%.1f%% of samples within %g of the data, %.1f%% of the data covered\n",
              q.chamfer, q.sample_to_data, q.data_to_sample, 100 * q.precision, kQualityRadius, 100 * q.coverage);
  // Trained on a subset (--train_size): copies of the training points, next
  // to the same share for the held-out points, their base rate (docs/memorisation.md).
  if (model.held_out().size() > 0 && model.num_points() >= 2) {
    const float* last = r.frames.data() + (r.frame_epochs.size() - 1) * size_t(o.eval_batch_size) * 2;
    const MemorisationScore m = memorisation_score(last, size_t(o.eval_batch_size), model.data().data(), model.num_points(),
                                                   model.held_out().xy.data(), model.held_out().size());
    std::printf("copies of the %zu training points: %.1f%% of samples (held-out points: %.1f%%, the base rate); "
                "chamfer to the held-out points %.4f\n",
                model.num_points(), 100 * m.copy_share, 100 * m.base_rate, m.test_distance);
  }
  std::printf("wrote %s/{model.safetensors, loss.npy, frames.npy, scores.csv%s}\n", out.string().c_str(),
              o.no_images ? "" : ", images/");
}

}  // namespace

int run_train(const TrainOptions& o) {
  check_run_options(o);
  Diffusion model = make_run_model(o);
  const fs::path out = fs::path(o.out_dir) / o.experiment_name;
  std::error_code ec;
  fs::create_directories(o.no_images ? out : out / "images", ec);
  if (ec) throw IoError("cannot create \"" + out.string() + "\": " + ec.message());
  print_run_header(o, model);

  TrainingLoopResult result;
  const RunRecord record = train_recording(o, model, result);
  write_outputs(o, model, record, out);
  if (result.diverged) {
    std::fprintf(stderr,
                 "error: training diverged at step %lld (epoch %lld): the loss became %s.\n"
                 "       The last good model and the losses of the %zu steps before it are in %s.\n"
                 "       Try a lower --learning_rate (now %g).\n",
                 (long long)model.step_count() + 1, (long long)model.epoch() + 1, "NaN or infinite",
                 record.losses.size(), out.string().c_str(), o.config.train.learning_rate);
    return 3;
  }
  print_summary(o, model, record, result, out);
  return 0;
}

}  // namespace tinydiff::cli
