// The network written the obvious way, in double precision with Eigen:
// batch-major as PyTorch ([B, features]), each layer Y = X W^T + b on
// matrices mapped straight onto the flat parameter buffer (MlpLayout
// order). Nothing here is fast; it is the readable twin of the fast float
// path (internal/mlp.hpp, tinydiff's xsimd kernels), and the tests hold the
// fast path to it: forward, loss and every gradient, for every embedding.
#pragma once

#include <vector>

#include "tinydiff/config.hpp"
#include "tinydiff/mlp_layout.hpp"

namespace tinydiff {

class ReferenceMlp {
 public:
  explicit ReferenceMlp(const ModelConfig& config);

  const MlpLayout& layout() const { return layout_; }

  // out [B, 2] (interleaved) = network(xy [B, 2], t [B], labels [B]) (labels:
  // class table rows 0..K, null for "no class"). Keeps what backward() needs.
  std::vector<double> forward(const double* params, const double* xy, const int* t, int B,
                              const int* labels = nullptr);
  // d loss / d params (num_params values), given d loss / d out [B, 2], after
  // forward() with the same params.
  std::vector<double> backward(const double* params, const double* d_out) const;

 private:
  MlpLayout layout_;
  // The last forward pass: its inputs, embedding, pre-activations a_l and hidden states h_l.
  int batch_ = 0;
  std::vector<double> x_, y_, t_;
  std::vector<int> labels_;
  std::vector<double> emb_;               // [B, D] row-major
  std::vector<std::vector<double>> pre_;  // a_0..a_L, [B, H] each
  std::vector<std::vector<double>> hid_;  // h_0..h_L, [B, H] each
};

}  // namespace tinydiff
