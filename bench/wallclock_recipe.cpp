// How a training recipe does on the clock a page user watches: trains the
// dino with one configuration and scores it at the page's marks (seconds
// after Train), converting seconds to steps with the page's measured speed.
// Prints one Markdown row per configuration; scripts/wallclock_study.sh runs
// the candidates and docs/ablations.md ("Learning in seconds") holds the table.
//
//   build/bench/tinydiff_wallclock_recipe --name NAME --config "k=v,k=v" [--page-steps-per-s 490]
//       [--marks 1,3,10,30] [--seeds 2] [--shown-points 1000]
//
// --config takes core's field names (config_fields.cpp), applied over the
// page's current recipe (the "best" preset with its 50,000-step decay).
// --page-steps-per-s is the page's speed for the "best" preset; other
// configurations are scaled by their native speed relative to it (a batch of
// 128 costs about 4 of 32 in both builds), unless --own-steps-per-s gives
// this configuration's page speed as measured. "fresh": 1000 DDPM
// samples; "shown": --shown-points DPM-Solver++ (Euler for flow; 25 steps) samples
// as the live view draws them (1000 now; the table in docs/ablations.md was
// made with 400, the live view's count then); both the Chamfer distance to
// the 8000 data points, the mean over seeds.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "tinydiff/config_fields.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/sampler_facts.hpp"
#include "tinydiff/metrics.hpp"

using namespace tinydiff;
using Clock = std::chrono::steady_clock;

namespace {

DiffusionConfig page_recipe() { return preset_config("best", 50000); }

DiffusionConfig parse_config(const std::string& text) {
  DiffusionConfig c = page_recipe();
  std::stringstream in(text);
  std::string pair;
  while (std::getline(in, pair, ',')) {
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    if (eq == std::string::npos) throw ConfigError("--config wants key=value pairs (got \"" + pair + "\")");
    config_field(pair.substr(0, eq)).set_from_text(c, pair.substr(eq + 1), NameStyle::Snake);
  }
  validate(c);
  return c;
}

double native_steps_per_second(const DiffusionConfig& config, const std::vector<float>& data) {
  std::vector<double> rates;
  Diffusion model(config);
  model.set_data(data);
  model.train(100);
  for (int r = 0; r < 3; ++r) {
    const auto t0 = Clock::now();
    model.train(400);
    rates.push_back(400 / std::chrono::duration<double>(Clock::now() - t0).count());
  }
  std::sort(rates.begin(), rates.end());
  return rates[1];
}

double chamfer(const std::vector<float>& s, const std::vector<float>& data) {
  return quality_score(s.data(), s.size() / 2, data.data(), data.size() / 2).chamfer;
}

// What the live view samples with while training (web/shared/preview_plan.js):
// the objective's best few-step sampler (core's sampler table), 25 steps, its
// data predictions clamped a little beyond the data's extent where it takes a clamp.
SampleOptions shown_options_for(const DiffusionConfig& config, const std::vector<float>& data) {
  double bound = 0;
  for (float v : data) bound = std::max(bound, double(std::fabs(v)));
  SampleOptions o;
  for (const SamplerFacts& f : sampler_facts()) {
    if (f.objective == config.schedule.objective && f.best_in_few_steps) o.sampler = f.id;
  }
  const SamplerFacts& facts = sampler_facts(o.sampler);
  o.steps = facts.objective == Objective::Eps ? std::min(25, config.schedule.num_timesteps) : 25;
  if (facts.takes_clip_x0) o.clip_x0 = 1.2 * bound;
  return o;
}

// What perfect samples score: fresh points of the dino itself, 400 and 1000 a mark.
void print_floor(const std::vector<double>& marks, const std::vector<float>& data) {
  std::printf("| the dino's own points (the floor) | - |");
  for (size_t k = 0; k < marks.size(); ++k) {
    std::printf(" %.3f / %.3f |", chamfer(make_dataset("dino", 400, 7 + k), data),
                chamfer(make_dataset("dino", 1000, 70 + k), data));
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string name = "page recipe", config_text, marks_text = "1,3,10,30";
  double page_rate = 490, own_rate = 0;
  int seeds = 2, shown_points = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--name") name = value;
    else if (key == "--config") config_text = value;
    else if (key == "--marks") marks_text = value;
    else if (key == "--page-steps-per-s") page_rate = std::atof(value.c_str());
    else if (key == "--seeds") seeds = std::atoi(value.c_str());
    else if (key == "--shown-points") shown_points = std::atoi(value.c_str());
    else if (key == "--own-steps-per-s") own_rate = std::atof(value.c_str());
    else { std::fprintf(stderr, "unknown option %s\n", key.c_str()); return 2; }
  }
  try {
    const DiffusionConfig config = parse_config(config_text);
    std::vector<double> marks;
    std::stringstream in(marks_text);
    for (std::string m; std::getline(in, m, ',');) marks.push_back(std::atof(m.c_str()));

    const std::vector<float> data = make_dataset("dino", kDefaultDatasetSize, 0);
    if (name == "floor") {
      print_floor(marks, data);
      return 0;
    }
    const double rate = own_rate > 0 ? own_rate
                                      : page_rate * native_steps_per_second(config, data) /
                                            native_steps_per_second(page_recipe(), data);

    const SampleOptions shown_options = shown_options_for(config, data);

    std::vector<double> fresh(marks.size()), shown(marks.size());
    for (int seed = 0; seed < seeds; ++seed) {
      DiffusionConfig c = config;
      c.train.seed = uint64_t(seed);
      Diffusion model(c);
      model.set_data(data);
      for (size_t k = 0; k < marks.size(); ++k) {
        const int64_t target = int64_t(std::llround(marks[k] * rate));
        model.train(std::max<int64_t>(0, target - model.step_count()));
        if (model.diverged()) { fresh[k] = shown[k] = NAN; continue; }
        const SampleOptions fresh_options = default_sampling(c.schedule.objective);
        fresh[k] += chamfer(model.sample(1000, 1000 + uint64_t(seed), nullptr, fresh_options), data) / seeds;
        shown[k] += chamfer(model.sample(shown_points, 2000 + uint64_t(seed), nullptr, shown_options), data) / seeds;
      }
    }
    std::printf("| %s | %.0f |", name.c_str(), rate);
    for (size_t k = 0; k < marks.size(); ++k) std::printf(" %.3f / %.3f |", shown[k], fresh[k]);
    std::printf("\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
