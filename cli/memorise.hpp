// `tinydiff memorise`: when does a diffusion model stop generalising and
// start copying its training points? One model per training-set size n
// (presets: n fresh draws of the generating distribution), evaluated at
// log-spaced steps: the share of samples that copy a training point next to
// its base rate (fresh points of the same distribution), the distance to
// fresh test points and to the training points, the train and test losses.
// tau_gen and tau_mem per n and a log-log fit of tau_mem against n (Bonnaire,
// Urfin, Biroli and Mezard, NeurIPS 2025). docs/memorisation.md.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "tinydiff/config.hpp"
#include "tinydiff/config_fields.hpp"

namespace tinydiff::cli {

struct MemoriseOptions {
  std::string dataset = "moons";
  std::vector<int> sizes{16, 64, 256, 1024};
  int64_t steps = 20000;
  int evaluations = 16;      // log-spaced from steps / 1000 (at least 1) to steps
  int samples = 1000;        // drawn at each evaluation
  int fresh = 2000;          // fresh points of the distribution: the test set and the base rate
  int loss_points = 64;      // per timestep, for the train and test losses
  int seeds = 1;             // runs of every size: the fit's spread
  uint64_t seed = 0;         // the first run's seed: --seed, the settings table's (resolve_memorise_config)
  double margin = 0.2;       // tau_mem: the first evaluation whose copies exceed the base rate by this
  int jobs = 0;              // runs at once; 0: one per core
  std::string preset = "reference";
  std::vector<std::pair<const ConfigField*, std::string>> fields;  // the config flags' text
  std::string out_dir = "memorise";
  bool quiet = false;
  DiffusionConfig config;    // the preset with the flags applied (resolve_memorise_config)
};

void add_memorise_options(CLI::App& cmd, MemoriseOptions& o);
// The preset and the config flags given; throws ConfigError.
void resolve_memorise_config(const CLI::App& cmd, MemoriseOptions& o);
// Runs the experiment and writes OUT_DIR/{memorise.csv, summary.json,
// copy_share.svg}; prints the table. Throws ConfigError for bad options.
int run_memorise(const MemoriseOptions& o);

// Least squares of log(tau) on log(n) over the pairs with tau > 0: {slope,
// intercept}; NaN slope with fewer than two such pairs.
std::pair<double, double> log_log_fit(const std::vector<int>& sizes, const std::vector<int64_t>& taus);

}  // namespace tinydiff::cli
