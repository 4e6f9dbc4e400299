// libFuzzer: the safetensors reader must accept or refuse (ModelFileError)
// any bytes, never crash; what it accepts must build a working model.
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "tinydiff/model_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const tinydiff::LoadedModel loaded = tinydiff::parse_safetensors(data, size, tinydiff::DiffusionConfig{});
    if (loaded.config.model.hidden_size > 256 || loaded.config.model.hidden_layers > 8) return 0;  // keep runs fast
    auto model = tinydiff::make_model(loaded);
    const float xy[2] = {0.5f, -0.5f};
    const auto eps = model->predict_noise(xy, 1, 0);
    if (eps.size() != 2) std::abort();
  } catch (const tinydiff::ModelFileError&) {
  }
  return 0;
}
