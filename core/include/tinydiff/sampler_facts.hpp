// What each sampler is, as every layer describes it: the CLI's help, the wasm
// module's samplerTable() and through it the page's captions, settings and
// preview plans. One row per sampler in core/src/samplers.cpp (beside its
// step function); nothing outside that table states these facts.
#pragma once

#include <string>
#include <vector>

#include "tinydiff/config.hpp"

namespace tinydiff {

struct SamplerFacts {
  Sampler id;
  const char* name;     // what the CLI, the bindings, links and model files call it
  const char* title;    // how messages and captions name it
  const char* summary;  // one sentence on how a step moves the points
  Objective objective;  // the models it samples
  // Whether it takes a step count (0: its default); if not it takes all T
  // timesteps and refuses other step counts.
  bool takes_steps;
  bool takes_eta;       // eta (0 deterministic .. 1 as noisy as DDPM)
  bool takes_clip_x0;   // a bound on the data prediction
  int calls_per_step;   // network calls a step at most (Heun: 2; its last step 1)
  // The sampler of its objective that draws best in a few steps
  // (docs/ablations.md): what a preview short of time stands in with.
  bool best_in_few_steps;
};

const std::vector<SamplerFacts>& sampler_facts();
const SamplerFacts& sampler_facts(Sampler sampler);
// What a model of this objective predicts: "noise" (eps) or "velocity" (flow).
const char* predicted_quantity(Objective objective);

}  // namespace tinydiff
