#include "tinydiff/mlp_layout.hpp"

namespace tinydiff {

int MlpLayout::embedding_width(EmbeddingKind kind, int embedding_size) {
  return (kind == EmbeddingKind::Sinusoidal || kind == EmbeddingKind::Learnable) ? embedding_size
                                                                                  : 1;
}

MlpLayout::MlpLayout(const ModelConfig& c) : config(c) {
  const int E = c.embedding_size, H = c.hidden_size, L = c.hidden_layers;
  input_width = embedding_width(c.input_embedding, E);
  time_width = embedding_width(c.time_embedding, E);
  class_width = c.num_classes > 0 ? E : 0;
  input_dim = 2 * input_width + time_width + class_width;

  auto add = [this](const std::string& name, std::vector<int64_t> shape) {
    TensorInfo info;
    info.name = name;
    info.shape = std::move(shape);
    info.size = 1;
    for (int64_t d : info.shape) info.size *= size_t(d);
    info.offset = num_params;
    num_params += info.size;
    tensors.push_back(info);
    return info.offset;
  };
  // Module registration order of the reference MLP: time_mlp, input_mlp1,
  // input_mlp2, joint_mlp (the conditional MLP of tests/pytorch_interop
  // registers class_embedding before joint_mlp).
  if (c.time_embedding == EmbeddingKind::Learnable) {
    time_w = add("time_mlp.layer.linear.weight", {E, 1});
    time_b = add("time_mlp.layer.linear.bias", {E});
  }
  if (c.input_embedding == EmbeddingKind::Learnable) {
    in1_w = add("input_mlp1.layer.linear.weight", {E, 1});
    in1_b = add("input_mlp1.layer.linear.bias", {E});
    in2_w = add("input_mlp2.layer.linear.weight", {E, 1});
    in2_b = add("input_mlp2.layer.linear.bias", {E});
  }
  if (c.num_classes > 0) class_table = add("class_embedding.weight", {c.num_classes + 1, E});
  w_in = add("joint_mlp.0.weight", {H, input_dim});
  b_in = add("joint_mlp.0.bias", {H});
  for (int l = 0; l < L; ++l) {
    const std::string prefix = "joint_mlp." + std::to_string(2 + l) + ".ff.";
    w_block.push_back(add(prefix + "weight", {H, H}));
    b_block.push_back(add(prefix + "bias", {H}));
  }
  const std::string last = "joint_mlp." + std::to_string(2 + L) + ".";
  w_out = add(last + "weight", {2, H});
  b_out = add(last + "bias", {2});
}

const TensorInfo* MlpLayout::find(const std::string& name) const {
  for (const auto& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace tinydiff
