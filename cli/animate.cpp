#include "animate.hpp"

#include <cstdio>

#include "common.hpp"
#include "gif_writer.hpp"
#include "plot.hpp"

namespace tinydiff::cli {

void add_animate_options(CLI::App& cmd, AnimateCommand& c) {
  add_model_options(cmd, c.model);
  add_data_options(cmd, c.data, "the forward process starts from (and the ideal denoiser's training data)");
  cmd.add_option("--kind", c.kind, "forward (data -> noise) or reverse (noise -> data, with the sampling flags)")
      ->capture_default_str();
  cmd.add_option("--out", c.out, "Output file: FILE.gif")->required();
  cmd.add_option("--size", c.size, "Pixels a side")->capture_default_str();
  cmd.add_option("--fps", c.fps, "Frames per second")->capture_default_str();
}

int run_animate(const AnimateCommand& c) {
  if (c.kind != "forward" && c.kind != "reverse") {
    throw ConfigError("--kind must be one of forward, reverse (got \"" + c.kind + "\")");
  }
  if (c.out.size() < 5 || c.out.substr(c.out.size() - 4) != ".gif") {
    throw ConfigError("--out must name a .gif file (got \"" + c.out + "\")");
  }
  check_integer("--size", c.size, 64, 2048);
  check_integer("--fps", c.fps, 1, 50);
  SampleOptions sampling;
  auto model = load_model(c.model, sampling);
  const bool forward = c.kind == "forward";
  if (forward || sampling.denoiser == Denoiser::Ideal) model->set_points(load_data(c.data));
  const int n = c.model.n;
  check_integer("--n", n, 1, 100000);

  std::vector<float> frames;
  std::vector<int> timesteps;
  if (forward) {
    frames = model->forward_frames(n, c.model.seed);
  } else {
    auto run = model->reverse_process(n, c.model.seed, sampling);
    frames = std::move(run.frames);
    timesteps = std::move(run.timesteps);
  }
  const size_t per_frame = 2 * size_t(n), count = frames.size() / per_frame;
  std::vector<Image> images;
  images.reserve(count);
  for (size_t k = 0; k < count; ++k) {
    // Forward frame k: k noising steps in. Reverse frame k: the input of the
    // step at timesteps[k], the last the samples.
    std::string title;
    if (forward) title = k == 0 ? "data" : "t = " + std::to_string(k);
    else title = k + 1 == count ? "samples" : "t = " + std::to_string(timesteps[k] + 1);
    images.push_back(scatter_image(frames.data() + k * per_frame, size_t(n), title, c.size));
  }
  const int delay = std::max(2, 100 / c.fps);
  write_gif(c.out, images, delay, 150);
  std::printf("wrote %s: %zu frames of the %s process (%d points, %s), %d x %d\n", c.out.c_str(), count,
              c.kind.c_str(), n, forward ? "data to noise" : (to_string(sampling.sampler) + " " + to_string(sampling.denoiser)).c_str(),
              c.size, c.size);
  return 0;
}

}  // namespace tinydiff::cli
