// `tinydiff reflow`: a flow model file in, a straighter one out (rectified
// flow, Liu, Gong and Liu, ICLR 2023). Draws --pairs (noise, where the
// model's ODE takes it), trains a copy of the model on those fixed pairs,
// and compares the two at 1, 2, 4 and 100 Euler steps (W2 to the data) and
// in straightness.
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "model_options.hpp"

namespace tinydiff::cli {

struct ReflowCommand {
  ModelOptions model;     // the flow model, and the solver of its pairs (--sampler heun --steps 100)
  DataOptions data;       // what W2 is measured against
  int pairs = 10000;
  int64_t train_steps = 10000;
  double learning_rate = 1e-3;
  std::string out;        // the reflowed model: FILE.safetensors
};

void add_reflow_options(CLI::App& cmd, ReflowCommand& c);
int run_reflow(const ReflowCommand& c);

}  // namespace tinydiff::cli
