// `tinydiff sample` and `tinydiff eval`: a model file in, samples or their
// scores out. Both take the same model and sampling flags.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "tinydiff/config_fields.hpp"
#include "tinydiff/dataset.hpp"

namespace tinydiff::cli {

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

struct SampleCommand {
  ModelOptions model;
  std::string out;  // FILE.csv or FILE.npy
};

struct EvalCommand {
  ModelOptions model;
  std::string dataset = "dino";
  std::string data_file;
  int num_points = kDefaultDatasetSize;
  uint64_t data_seed = 0;
  int draws = 1;
  double radius = 0.1;
};

// Bind the flags to the command's fields (which must stay where they are).
void add_sample_options(CLI::App& cmd, SampleCommand& c);
void add_eval_options(CLI::App& cmd, EvalCommand& c);
int run_sample(const SampleCommand& c);
int run_eval(const EvalCommand& c);

}  // namespace tinydiff::cli
