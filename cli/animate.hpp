// `tinydiff animate`: the forward (data -> noise) or reverse (noise -> data)
// process of a model file as an animated GIF, like the reference README's.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "model_options.hpp"

namespace tinydiff::cli {

struct AnimateCommand {
  ModelOptions model;
  DataOptions data;  // what the forward process noises (and the ideal denoiser's data)
  std::string kind = "reverse";
  std::string out;
  int size = 384;  // pixels a side
  int fps = 12;
};

void add_animate_options(CLI::App& cmd, AnimateCommand& c);
int run_animate(const AnimateCommand& c);

}  // namespace tinydiff::cli
