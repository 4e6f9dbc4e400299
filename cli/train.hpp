// `tinydiff train`: what the reference `python ddpm.py` does (same flags,
// same defaults, same outputs), faster.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "tinydiff/config_fields.hpp"
#include "tinydiff/dataset.hpp"

namespace tinydiff::cli {

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
  int threads = 1;  // Diffusion::set_threads (0: one a core)
  // The text of each hyperparameter flag given, by field (unset: the preset's).
  std::vector<std::pair<const ConfigField*, std::string>> fields;
  DiffusionConfig config;  // the preset with the flags given, filled by resolve_config
};

// Binds train's flags to `o` (which must stay where it is).
void add_train_options(CLI::App& cmd, TrainOptions& o);
// The preset, then every hyperparameter flag given on top of it, into o.config.
void resolve_config(const CLI::App& cmd, TrainOptions& o);
// Trains and writes OUT_DIR/NAME/; returns the exit code (3: diverged).
int run_train(const TrainOptions& o);

}  // namespace tinydiff::cli
