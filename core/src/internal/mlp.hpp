// The tiny-diffusion MLP with a hand-written forward and backward pass.
//
//   emb = [emb_in(x), emb_in(y), emb_t(t), class_table[label]]  [B, D]
//         (the last part only in a conditional model)
//   a_0 = emb W_in^T + b_in,     h_0 = gelu(a_0)            [B, H]
//   a_l = h_{l-1} W_l^T + b_l,   h_l = h_{l-1} + gelu(a_l)  l = 1..L
//   out = h_L W_out^T + b_out                               [B, 2]
//
// Activations inside are feature-major: [features, B] with leading dimension
// B, so the products vectorise along the batch (forward() and backward() take
// and give points interleaved, [B, 2]).
//
// Parameters, gradients and the AdamW moments each live in one flat buffer
// laid out as the reference's PyTorch state_dict (same names, same order,
// weights row-major [out, in]); MlpLayout gives the named views.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "internal/aligned.hpp"
#include "tinydiff/config.hpp"
#include "tinydiff/mlp_layout.hpp"
#include "tinydiff/rng.hpp"

namespace tinydiff {

// PyTorch's default nn.Linear init: weight and bias ~ U(-1/sqrt(fan_in), +).
template <typename T>
void init_parameters(T* params, const MlpLayout& layout, Rng& rng);

// ---- layers: outputs, cache, inputs, params; backward accumulates or writes (GradientMode) ----

// How a backward pass treats the parameter gradients it is given.
// Accumulate (llm.c's convention): grads += d loss / d params.
// Overwrite: grads = d loss / d params, every element written once. The
// training step uses it: bit-identical to zeroing and accumulating, without
// the zeroing pass over 400 KB of gradients and the reads of those zeros.
enum class GradientMode { Accumulate, Overwrite };

// out[n_out, B] = W inp[n_in, B] + bias   (feature-major; W row-major [n_out, n_in])
// weight_ld: the row stride of W (default n_in), to use the first n_in columns only.
template <typename T>
void linear_forward(T* out, const T* inp, const T* weight, const T* bias, int B, int n_in, int n_out,
                    int weight_ld = -1);

// dweight += dout inp^T, dbias += rowsum(dout), dinp += W^T dout (dinp may be null);
// dout [n_out, B], inp and dinp [n_in, B]. With GradientMode::Overwrite
// dweight and dbias are set instead (dinp still accumulates).
// grad_sum_squares (if not null) += the sum of squares of dweight and dbias
// as they stand after the call, read from registers as they are written.
template <typename T>
void linear_backward(T* dinp, T* dweight, T* dbias, const T* dout, const T* inp, const T* weight,
                     int B, int n_in, int n_out, GradientMode mode = GradientMode::Accumulate,
                     double* grad_sum_squares = nullptr);

// Mean squared error over B*2 values; dout (if not null) = d loss / d out.
template <typename T>
double mse_loss(T* dout, const T* out, const T* target, int B);

// Forward cache and scratch for up to `capacity` rows. Grows only on demand,
// so a training loop at a fixed batch size never allocates.
template <typename T>
struct MlpActivations {
  int capacity = 0;
  AlignedVector<T> x, y, t;     // [B] embedding inputs (t as T)
  std::vector<int> label;       // [B] class table rows (conditional models)
  AlignedVector<T> emb;         // [D, B]
  AlignedVector<T> pre;         // [H, B] one layer's pre-activations (scratch: backward
                                //   needs only the slope cache)
  AlignedVector<T> hid;         // [L+1][H, B] h_0..h_L
  AlignedVector<T> slope;       // [L+1][H, B] gelu'(a_l), the GELU cache
  AlignedVector<T> out_t;       // [2, B]
  AlignedVector<T> out;         // [B, 2] (interleaved, what forward() returns)
  AlignedVector<T> d_out;       // [B, 2]
  AlignedVector<T> d_out_t;     // [2, B]
  AlignedVector<T> d_hid;       // [H, B]
  AlignedVector<T> d_pre;       // [H, B]
  AlignedVector<T> d_emb;       // [D, B] (only with a learnable embedding)
  AlignedVector<T> shared_bias; // [H] first-layer bias with a shared t folded in
  AlignedVector<T> t_embedding; // [time_width] emb(t) of a shared t
  AlignedVector<T> class_bias;  // [K + 1, H] W_in[:, class columns] class_table[k] (sampling)

  void reserve(const MlpLayout& layout, int rows);
};

// The network: a layout, the embedding frequency tables, and a cache.
template <typename T>
class Mlp {
 public:
  explicit Mlp(const ModelConfig& config);

  const MlpLayout& layout() const { return layout_; }
  size_t num_params() const { return layout_.num_params; }

  // out [B, 2] = network(xy [B, 2], t [B], labels [B]); returns
  // acts().out.data(). labels: rows of the class table, 0..K (K: no class);
  // null means no class for every point (and is what an unconditional
  // model takes).
  const T* forward(const T* params, const T* xy, const int* t, int B, const int* labels = nullptr);
  // Same for B points that share one timestep (sampling).
  const T* forward_shared_t(const T* params, const T* xy, int t, int B, const int* labels = nullptr);
  // The same with real-valued times (the flow objective's t * T).
  const T* forward_times(const T* params, const T* xy, const T* times, int B, const int* labels = nullptr);
  const T* forward_shared_time(const T* params, const T* xy, T time, int B, const int* labels = nullptr);
  // grads += d loss / d params (or = with GradientMode::Overwrite), given
  // d loss / d out [B, 2], after forward() with the same params and batch.
  // grad_sum_squares (if not null) receives the sum of squares of all of
  // grads after the call (the squared norm gradient clipping needs).
  void backward(T* grads, const T* params, const T* dout, int B,
                GradientMode mode = GradientMode::Accumulate, double* grad_sum_squares = nullptr);

  // The Jacobian of the output with respect to the input point, after a
  // forward of the same B points with these params: jac [B, 4] =
  // (d out_x/dx, d out_x/dy, d out_y/dx, d out_y/dy), by forward mode (a
  // tangent through the embedding, the layers and their cached GELU
  // slopes). Its trace is the divergence the log-density integrates.
  void input_jacobian(const T* params, int B, T* jac);

  MlpActivations<T>& acts() { return acts_; }
  // Columns the activations of a batch of B use (B padded to a multiple of 16).
  static int padded_batch(int B) { return (B + 15) / 16 * 16; }

 private:
  template <typename TimeOf>
  const T* run_forward(const T* params, const T* xy, TimeOf time_of, int B, bool shared_t, const int* labels);
  void embed_forward(const T* params, int B, bool shared_t);
  void trunk_forward(const T* params, int B, bool shared_t);

  MlpLayout layout_;
  std::vector<T> input_freqs_, time_freqs_;
  MlpActivations<T> acts_;
};

}  // namespace tinydiff
