// A conditional model adds the tensor "class_embedding.weight" [K + 1, E]
// (mlp_layout.hpp) and the metadata num_classes and class_proportions;
// files without them are unconditional models, as before.
//
// Model files in the safetensors format: an 8-byte little-endian header
// length, a JSON header, then raw little-endian float32 tensors. Tensor names
// and shapes are the reference PyTorch MLP's state_dict, so
//   model.load_state_dict(safetensors.torch.load_file(path))
// works on the reference, and a state_dict saved by PyTorch loads here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tinydiff/diffusion.hpp"

namespace tinydiff {

// Thrown for a file that is not a usable model; what() says why.
class ModelFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

constexpr int kModelFormatVersion = 1;

std::vector<uint8_t> save_safetensors(const Diffusion& model);

struct LoadedModel {
  DiffusionConfig config;
  std::vector<float> parameters;  // in MlpLayout order
  bool had_metadata = false;      // false for a plain PyTorch state_dict
  // A conditional model: each class's share of its training data
  // (__metadata__ "class_proportions", comma-separated; equal shares when absent).
  std::vector<double> class_proportions;
};

// Reads a model. What the file does not record (a PyTorch state_dict has no
// metadata: embedding kinds, schedule) comes from `fallback`; sizes come from
// the tensor shapes. Refuses, with a ModelFileError naming the problem, a
// truncated or malformed file, a header length or offsets out of range, any
// dtype but F32, missing, unexpected or mis-shaped tensors, non-finite
// weights, and metadata that contradicts the shapes.
LoadedModel parse_safetensors(const uint8_t* bytes, size_t size, const DiffusionConfig& fallback);
LoadedModel read_model_file(const std::string& path, const DiffusionConfig& fallback);

// A Diffusion holding the loaded configuration and weights (fresh optimizer).
std::unique_ptr<Diffusion> make_model(const LoadedModel& loaded);

// The largest model file a program loads from memory (the page, the wasm API).
constexpr double kMaxModelFileBytes = 512.0 * 1024 * 1024;
// A model file in memory replacing `current`: the new model keeps current's
// data when it fits the new model's classes (its labels only for a
// conditional one) and its threads. Throws ConfigError for a file over
// kMaxModelFileBytes and ModelFileError for a bad one; `current` is untouched.
std::unique_ptr<Diffusion> load_model_replacing(const uint8_t* bytes, size_t size, const Diffusion& current);

}  // namespace tinydiff
