// `tinydiff sample` and `tinydiff eval`: a model file in, samples or their
// scores out. Both take the same model and sampling flags.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "model_options.hpp"

namespace tinydiff::cli {

struct SampleCommand {
  ModelOptions model;
  DataOptions data;  // the ideal denoiser's training data
  std::string out;  // FILE.csv or FILE.npy
};

struct EvalCommand {
  ModelOptions model;
  DataOptions data;  // what the samples are scored against
  int draws = 1;
  double radius = 0.1;
  bool steps_sweep = false;  // every sampler at 1, 2, 5, 10, 20, 50, T steps instead
};

// Bind the flags to the command's fields (which must stay where they are).
void add_sample_options(CLI::App& cmd, SampleCommand& c);
void add_eval_options(CLI::App& cmd, EvalCommand& c);
int run_sample(const SampleCommand& c);
int run_eval(const EvalCommand& c);

}  // namespace tinydiff::cli
