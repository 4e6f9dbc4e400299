// How many points the live view should show, and with how many steps: trains
// the page's recipe (quick, its decay over 25,000 steps) on the dino and, at
// training steps the page reaches in its first seconds, scores what a
// preview of n points with k DPM-Solver++ steps (eta 0, the stand-in's clamp
// at 1.2x the data's extent, the preview's fixed noise) would show: the
// Chamfer distance to the 8000 data points, the mean over seeds. A preview's
// cost is about n x k point-steps, so rows of equal n x k cost the same.
// docs/ablations.md ("How many points the live view shows") holds the table.
//
//   build/bench/tinydiff_live_view_points [--steps 6000,8000,10000,12000,14000] [--seeds 3]
//       [--previews 400x25,400x12,1000x25,1000x12,1000x8]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "tinydiff/config.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/metrics.hpp"

using namespace tinydiff;

namespace {

constexpr uint64_t kPreviewSeed = 7;        // web/workers/preview_worker.js PREVIEW_SEED
constexpr int64_t kPageDecaySteps = 25000;  // web/shared/settings.js: the quick recipe's decay in the page

struct Preview {
  int points = 0, steps = 0;
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string steps_text = "6000,8000,10000,12000,14000", previews_text = "400x25,400x12,1000x25,1000x12,1000x8";
  int seeds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--steps") steps_text = value;
    else if (key == "--previews") previews_text = value;
    else if (key == "--seeds") seeds = std::atoi(value.c_str());
    else { std::fprintf(stderr, "unknown option %s\n", key.c_str()); return 2; }
  }
  std::vector<int64_t> marks;
  for (const auto& s : split(steps_text)) marks.push_back(std::atoll(s.c_str()));
  std::vector<Preview> previews;
  for (const auto& s : split(previews_text)) {
    Preview p;
    if (std::sscanf(s.c_str(), "%dx%d", &p.points, &p.steps) != 2 || p.points < 1 || p.steps < 1) {
      std::fprintf(stderr, "--previews wants POINTSxSTEPS items (got \"%s\")\n", s.c_str());
      return 2;
    }
    previews.push_back(p);
  }
  if (marks.empty() || previews.empty() || seeds < 1 || !std::is_sorted(marks.begin(), marks.end())) {
    std::fprintf(stderr, "usage: %s [--steps ascending,counts] [--seeds N] [--previews 1000x12,...]\n", argv[0]);
    return 2;
  }

  const std::vector<float> data = make_dataset("dino", kDefaultDatasetSize, 0);
  double bound = 0;
  for (float v : data) bound = std::max(bound, double(std::fabs(v)));
  // score[mark][preview], the mean over seeds
  std::vector<std::vector<double>> score(marks.size(), std::vector<double>(previews.size(), 0.0));
  for (int seed = 0; seed < seeds; ++seed) {
    DiffusionConfig config = preset_config("quick", kPageDecaySteps);
    config.train.seed = uint64_t(seed);
    Diffusion model(config);
    model.set_data(data);
    for (size_t m = 0; m < marks.size(); ++m) {
      model.train(marks[m] - model.step_count());
      for (size_t p = 0; p < previews.size(); ++p) {
        SampleOptions options;
        options.sampler = Sampler::DpmSolver;
        options.steps = previews[p].steps;
        options.clip_x0 = 1.2 * bound;
        const std::vector<float> xy = model.sample(previews[p].points, kPreviewSeed, nullptr, options);
        score[m][p] += quality_score(xy.data(), xy.size() / 2, data.data(), data.size() / 2).chamfer / seeds;
      }
    }
  }
  std::printf("| training steps |");
  for (const auto& p : previews) std::printf(" %d points x %d steps |", p.points, p.steps);
  std::printf("\n|---:|");
  for (size_t p = 0; p < previews.size(); ++p) std::printf("---:|");
  std::printf("\n");
  for (size_t m = 0; m < marks.size(); ++m) {
    std::printf("| %lld |", static_cast<long long>(marks[m]));
    for (double s : score[m]) std::printf(" %.3f |", s);
    std::printf("\n");
  }
  return 0;
}
