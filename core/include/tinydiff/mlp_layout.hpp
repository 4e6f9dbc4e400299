// The conditional network (num_classes K > 0) adds one tensor,
// "class_embedding.weight" [K + 1, E] (an nn.Embedding; row K is "no
// class"), registered after the input embeddings; its row for a point's
// label is concatenated after the time embedding: emb = [x, y, t, class].
//
// Where each tensor of the network lives in tinydiff's flat parameter
// buffer: the reference's PyTorch state_dict names and shapes, in its order
// (weights row-major [out, in]). Model files, the bindings and the tests read
// tensors by these names; the network (core/src/internal/mlp.hpp) by the
// named offsets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tinydiff/config.hpp"

namespace tinydiff {

struct TensorInfo {
  std::string name;            // PyTorch state_dict key, e.g. "joint_mlp.0.weight"
  std::vector<int64_t> shape;  // e.g. {hidden, input_dim}
  size_t offset = 0;           // into the flat buffer
  size_t size = 0;             // product of shape
};

class MlpLayout {
 public:
  static constexpr size_t kAbsent = size_t(-1);

  explicit MlpLayout(const ModelConfig& config);

  // Width of one embedding of the given kind (sinusoidal/learnable: E, else 1).
  static int embedding_width(EmbeddingKind kind, int embedding_size);

  const TensorInfo* find(const std::string& name) const;
  bool has_learnable_embedding() const {
    return config.time_embedding == EmbeddingKind::Learnable ||
           config.input_embedding == EmbeddingKind::Learnable;
  }

  ModelConfig config;
  int input_width = 0;  // columns of emb per coordinate
  int time_width = 0;   // columns of emb for t
  int class_width = 0;  // columns of emb for the class (E with classes, else 0)
  int input_dim = 0;    // D = 2 * input_width + time_width + class_width
  int class_column() const { return 2 * input_width + time_width; }
  // Row of the class table that means "no class" (the unconditional model).
  int no_class() const { return config.num_classes; }
  size_t num_params = 0;
  std::vector<TensorInfo> tensors;  // in state_dict order

  // Offsets of the named views (kAbsent when the configuration has none).
  size_t time_w = kAbsent, time_b = kAbsent;  // time_mlp.layer.linear   [E, 1], [E]
  size_t in1_w = kAbsent, in1_b = kAbsent;    // input_mlp1.layer.linear [E, 1], [E]
  size_t in2_w = kAbsent, in2_b = kAbsent;    // input_mlp2.layer.linear [E, 1], [E]
  size_t class_table = kAbsent;               // class_embedding (nn.Embedding) [K + 1, E]
  size_t w_in = 0, b_in = 0;                  // joint_mlp.0             [H, D], [H]
  std::vector<size_t> w_block, b_block;       // joint_mlp.{2+l}.ff      [H, H], [H]
  size_t w_out = 0, b_out = 0;                // joint_mlp.{2+L}         [2, H], [2]
};

}  // namespace tinydiff
