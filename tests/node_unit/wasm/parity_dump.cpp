// Prints, as JSON, what the wasm node tests compare against the native core
// for the same seed and configuration (tests/node_unit/wasm/parity.test.mjs).
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tinydiff/dataset.hpp"
#include "tinydiff/diffusion.hpp"

using namespace tinydiff;

int main() {
  nlohmann::json out;
  DiffusionConfig config;  // reference defaults, but a smaller network for speed
  config.model.hidden_size = 64;
  config.model.hidden_layers = 2;
  config.model.embedding_size = 32;
  config.train.seed = 3;
  Diffusion model(config);
  const auto data = make_dataset("moons", 1000, 5);
  model.set_data(data);

  out["data_head"] = std::vector<float>(data.begin(), data.begin() + 40);
  const auto& p = model.parameters();
  out["initial_params_head"] = std::vector<float>(p.begin(), p.begin() + 64);
  const std::vector<float> probe{0.5f, -1.0f, 2.0f, 0.25f, -3.0f, 1.5f};
  out["initial_predict_t10"] = model.predict_noise(probe.data(), 3, 10);
  std::vector<float> losses;
  for (int i = 0; i < 20; ++i) losses.push_back(model.step());
  out["losses"] = losses;
  out["params_after_20_head"] = std::vector<float>(p.begin(), p.begin() + 64);
  out["sample_after_20"] = model.sample(50, 9);
  out["forward_frames_last"] = [&] {
    const auto f = model.forward_frames(20, 4);
    return std::vector<float>(f.end() - 40, f.end());
  }();
  out["epoch"] = model.epoch();
  out["step_count"] = model.step_count();
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
