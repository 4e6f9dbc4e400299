// What sample, eval and animate share: the model file and sampling flags,
// and the data flags (a preset or a CSV file).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "tinydiff/config_fields.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/io.hpp"

namespace tinydiff::cli {

// Options of the commands that read a model file (sample, eval, animate):
// the model, the sampler, and what a file without metadata (a PyTorch
// state_dict) cannot say.
struct ModelOptions {
  std::string model;
  int n = 1000;
  uint64_t seed = 0;
  std::string class_choice = "all";  // --class: K or all
  // The text of each sampling option's flag (core's sample_option_fields()).
  std::vector<std::pair<const SampleOptionField*, std::string>> sampling;
  // The text of each metadata-only field's flag (the kinds, the schedule).
  std::vector<std::pair<const ConfigField*, std::string>> fallback;
};

// Points to compare with, or to noise: a preset or a CSV file.
struct DataOptions {
  std::string dataset = "dino";
  std::string data_file;
  int num_points = kDefaultDatasetSize;
  uint64_t data_seed = 0;
};

// Bind the flags to the options' fields, which must stay where they are: one
// options object per subcommand, filled once.
// default_sampling: what the sampling flags default to (reflow's: Heun over 100 steps).
void add_model_options(CLI::App& cmd, ModelOptions& o, const SampleOptions& default_sampling = {});
void add_data_options(CLI::App& cmd, DataOptions& o, const std::string& purpose);
// The model file with the flags' fallbacks; `sampling` from the sampling flags.
// flow_command: a command that takes flow models only ("reflow"), which a
// noise-prediction model is refused for before its sampling flags are checked.
std::unique_ptr<Diffusion> load_model(const ModelOptions& o, SampleOptions& sampling, const char* flow_command = nullptr);
PointSet load_data(const DataOptions& o);

}  // namespace tinydiff::cli
