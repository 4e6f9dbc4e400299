// Loads a model file and prints, as JSON, its prediction on fixed probe
// points (tests/pytorch_interop/interop_test.sh hands it to the PyTorch
// reference). "t" is what the time embedding sees: the integer timestep of a
// noise-prediction model, t * T of a flow model (t in [0, 1]); a conditional
// model also gets "labels" (class table rows, K for no class) and predicts
// conditionally (guidance 1).
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
    const std::vector<int> steps{0, 7, 25, 49, 13};
    const std::vector<double> flow_times{0.0, 0.14, 0.5, 0.98, 0.26};
    const bool flow = model->objective() == tinydiff::Objective::Flow;
    const int T = model->num_timesteps();
    const int K = model->num_classes();
    std::vector<float> out;
    std::vector<double> embedded;  // the time embedding's input
    std::vector<int> labels;
    for (size_t i = 0; i < x.size(); ++i) {
      const double t = flow ? flow_times[i] : double(steps[i] % T);
      const int label = int(i) % (K + 1);  // 0, 1, .., K (no class), 0, ...
      const auto y = K > 0 ? model->predict_guided(x[i].data(), &label, 1, t, 1.0) : model->predict(x[i].data(), 1, t);
      out.insert(out.end(), y.begin(), y.end());
      embedded.push_back(flow ? float(t * T) : t);
      labels.push_back(label);
    }
    nlohmann::json j{{"x", x}, {"t", embedded}, {"output", out}};
    if (K > 0) j["labels"] = labels;
    std::printf("%s\n", j.dump().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
