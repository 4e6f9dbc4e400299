// Loads a model file and prints, as JSON, its predicted noise on fixed probe
// points (tests/pytorch_interop/interop_test.sh hands it to the PyTorch reference).
#include <cstdio>
#include <vector>

#include <nlohmann/json.hpp>

#include "tinydiff/model_file.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: tinydiff_predict_dump MODEL.safetensors\n");
    return 2;
  }
  try {
    auto model = tinydiff::make_model(tinydiff::read_model_file(argv[1], tinydiff::DiffusionConfig{}));
    const std::vector<std::vector<float>> x{{0.5f, -1.0f}, {2.0f, 0.25f}, {-3.0f, 1.5f}, {0.0f, 0.0f}, {1.25f, -2.5f}};
    const std::vector<int> t{0, 7, 25, 49, 13};
    std::vector<float> out;
    for (size_t i = 0; i < x.size(); ++i) {
      const auto eps = model->predict_noise(x[i].data(), 1, t[i] % model->num_timesteps());
      out.insert(out.end(), eps.begin(), eps.end());
    }
    nlohmann::json j{{"x", x}, {"t", t}, {"output", out}};
    std::printf("%s\n", j.dump().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
