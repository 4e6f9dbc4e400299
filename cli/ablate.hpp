// `tinydiff ablate`: sweeps of one hyperparameter, trained side by side, drawn
// as the reference's ablation grids (rows: values, columns: checkpoints) with
// a table of the quality score of every cell.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "tinydiff/dataset.hpp"

namespace tinydiff::cli {

struct AblateOptions {
  std::vector<std::string> sweeps;  // names from ablation_sweep_names(), or "all"
  std::vector<std::string> values;  // replaces the sweep's own values (one sweep only)
  std::string preset = "reference";  // what every run starts from
  std::string dataset = "dino";
  int num_points = kDefaultDatasetSize;
  int num_epochs = 200;
  int checkpoint_every = 20;  // columns: epochs 0, 20, ... and the last
  int eval_batch_size = 1000;
  uint64_t seed = 0;
  int jobs = 0;  // parallel runs; 0: one per core
  std::string out_dir = "ablations";
  bool quiet = false;
};

// The reference's eight sweeps, then "preset" (reference vs best).
const std::vector<std::string>& ablation_sweep_names();

// Binds ablate's flags to `o` (which must stay where it is).
void add_ablate_options(CLI::App& cmd, AblateOptions& o);

// Runs the sweeps and writes OUT_DIR/SWEEP/{grid.svg, grid.png, scores.csv,
// scores.md}. Throws ConfigError for bad options.
int run_ablate(const AblateOptions& options);

}  // namespace tinydiff::cli
