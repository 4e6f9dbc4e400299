#include "tinydiff/mlp.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <Eigen/Core>

#include "tinydiff/gemm.hpp"
#include "tinydiff/kernels.hpp"

namespace tinydiff {
namespace {

template <typename T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;
template <typename T>
using MatrixMap = Eigen::Map<RowMatrix<T>>;
template <typename T>
using ConstMatrixMap = Eigen::Map<const RowMatrix<T>>;

}  // namespace

// ---------------------------------------------------------------- layout --

int MlpLayout::embedding_width(EmbeddingKind kind, int embedding_size) {
  return (kind == EmbeddingKind::Sinusoidal || kind == EmbeddingKind::Learnable) ? embedding_size
                                                                                  : 1;
}

MlpLayout::MlpLayout(const ModelConfig& c) : config(c) {
  const int E = c.embedding_size, H = c.hidden_size, L = c.hidden_layers;
  input_width = embedding_width(c.input_embedding, E);
  time_width = embedding_width(c.time_embedding, E);
  input_dim = 2 * input_width + time_width;

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
  // input_mlp2, joint_mlp.
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

template <typename T>
void init_parameters(T* params, const MlpLayout& layout, Rng& rng) {
  for (const TensorInfo& t : layout.tensors) {
    // Weight [out, in] and its bias share the bound 1/sqrt(in); a bias finds
    // fan_in from the weight registered just before it.
    int64_t fan_in = t.shape.size() == 2 ? t.shape[1] : 1;
    if (t.shape.size() == 1) {
      const std::string weight = t.name.substr(0, t.name.size() - 4) + "weight";
      if (const TensorInfo* w = layout.find(weight)) fan_in = w->shape[1];
    }
    const double bound = 1.0 / std::sqrt(double(fan_in));
    for (size_t i = 0; i < t.size; ++i) params[t.offset + i] = T(rng.uniform(-bound, bound));
  }
}

// ---------------------------------------------------------------- layers --

// Two backends for the products: Eigen (native default) and tinydiff's own
// xsimd kernels (wasm, where Eigen cannot vectorise; or -DTINYDIFF_GEMM=xsimd).
template <typename T>
void linear_forward(T* out, const T* inp, const T* weight, const T* bias, int B, int n_in,
                    int n_out) {
#ifdef TINYDIFF_GEMM_XSIMD
  const size_t rows = size_t(B), in = size_t(n_in), outs = size_t(n_out);
  for (size_t b = 0; b < rows; ++b) std::copy_n(bias, outs, out + b * outs);
  if (outs < xsimd::batch<T>::size) {  // the 2-wide output layer: dot products
    for (size_t b = 0; b < rows; ++b) {
      T dots[8];
      for (size_t o0 = 0; o0 < outs; o0 += 8) {
        const size_t count = std::min<size_t>(8, outs - o0);
        simd::dot_rows(dots, inp + b * in, weight + o0 * in, in, count, in);
        for (size_t o = 0; o < count; ++o) out[b * outs + o0 + o] += dots[o];
      }
    }
    return;
  }
  thread_local AlignedVector<T> transposed;  // W^T [in, out], grown once
  if (transposed.size() < in * outs) transposed.resize(in * outs);
  simd::transpose(transposed.data(), weight, in, outs);
  simd::gemm_accumulate(out, outs, inp, in, size_t(1), transposed.data(), outs, rows, outs, in);
#else
  MatrixMap<T> Y(out, B, n_out);
  ConstMatrixMap<T> X(inp, B, n_in);
  ConstMatrixMap<T> W(weight, n_out, n_in);
  Y.noalias() = X * W.transpose();
  Y.rowwise() += Eigen::Map<const RowVector<T>>(bias, n_out);
#endif
}

template <typename T>
void linear_backward(T* dinp, T* dweight, T* dbias, const T* dout, const T* inp, const T* weight,
                     int B, int n_in, int n_out) {
#ifdef TINYDIFF_GEMM_XSIMD
  const size_t rows = size_t(B), in = size_t(n_in), outs = size_t(n_out);
  // dW[out, in] += dY^T dX: A(o, b) = dY[b, o]
  simd::gemm_accumulate(dweight, in, dout, size_t(1), outs, inp, in, outs, in, rows);
  for (size_t b = 0; b < rows; ++b)
    for (size_t o = 0; o < outs; ++o) dbias[o] += dout[b * outs + o];
  // dX[B, in] += dY W
  if (dinp) simd::gemm_accumulate(dinp, in, dout, outs, size_t(1), weight, in, rows, in, outs);
#else
  ConstMatrixMap<T> dY(dout, B, n_out);
  ConstMatrixMap<T> X(inp, B, n_in);
  ConstMatrixMap<T> W(weight, n_out, n_in);
  MatrixMap<T>(dweight, n_out, n_in).noalias() += dY.transpose() * X;
  Eigen::Map<RowVector<T>>(dbias, n_out) += dY.colwise().sum();
  if (dinp) MatrixMap<T>(dinp, B, n_in).noalias() += dY * W;
#endif
}

template <typename T>
double mse_loss(T* dout, const T* out, const T* target, int B) {
  const int n = 2 * B;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const double diff = double(out[i]) - double(target[i]);
    sum += diff * diff;
  }
  if (dout) {
    const T g = T(2.0 / n);
    for (int i = 0; i < n; ++i) dout[i] = g * (out[i] - target[i]);
  }
  return sum / n;
}

// ----------------------------------------------------------- activations --

template <typename T>
void MlpActivations<T>::reserve(const MlpLayout& layout, int rows) {
  if (rows <= capacity) return;
  const size_t B = size_t(rows), H = size_t(layout.config.hidden_size),
               D = size_t(layout.input_dim), L1 = size_t(layout.config.hidden_layers) + 1;
  x.resize(B);
  y.resize(B);
  t.resize(B);
  emb.resize(B * D);
  pre.resize(L1 * B * H);
  hid.resize(L1 * B * H);
  out.resize(B * 2);
  d_out.resize(B * 2);
  d_hid.resize(B * H);
  d_hid_next.resize(B * H);
  d_pre.resize(B * H);
  if (layout.has_learnable_embedding()) d_emb.resize(B * D);
  capacity = rows;
}

// ------------------------------------------------------------------- MLP --

template <typename T>
Mlp<T>::Mlp(const ModelConfig& config) : layout_(config) {
  if (config.input_embedding == EmbeddingKind::Sinusoidal)
    input_freqs_ = sinusoidal_frequencies<T>(config.embedding_size);
  if (config.time_embedding == EmbeddingKind::Sinusoidal)
    time_freqs_ = sinusoidal_frequencies<T>(config.embedding_size);
}

namespace {

// One embedding (PositionalEmbedding of the reference) of B values into the
// columns [col, col + width) of emb [B, D].
template <typename T>
void embed_column(T* emb, int D, int col, const T* values, int B, EmbeddingKind kind, int E,
                  T scale, const std::vector<T>& freqs, const T* weight, const T* bias) {
  T* dst = emb + col;
  switch (kind) {
    case EmbeddingKind::Sinusoidal:
      simd::sinusoidal_embedding(dst, size_t(D), values, size_t(B), freqs.data(), size_t(E / 2),
                                 scale);
      break;
    case EmbeddingKind::Linear:  // x / size * scale
      for (int b = 0; b < B; ++b) dst[size_t(b) * D] = values[b] / T(E) * scale;
      break;
    case EmbeddingKind::Learnable:  // Linear(1, E) applied to x / size
      for (int b = 0; b < B; ++b) {
        const T u = values[b] / T(E);
        T* row = dst + size_t(b) * D;
        for (int e = 0; e < E; ++e) row[e] = u * weight[e] + bias[e];
      }
      break;
    case EmbeddingKind::Identity:
      for (int b = 0; b < B; ++b) dst[size_t(b) * D] = values[b];
      break;
    case EmbeddingKind::Zero:
      for (int b = 0; b < B; ++b) dst[size_t(b) * D] = values[b] * T(0);
      break;
  }
}

// d weight += sum_b d_emb[b, e] * (value_b / E); d bias += sum_b d_emb[b, e].
template <typename T>
void learnable_embedding_backward(T* dweight, T* dbias, const T* d_emb, int D, int col,
                                  const T* values, int B, int E) {
  for (int b = 0; b < B; ++b) {
    const T u = values[b] / T(E);
    const T* row = d_emb + size_t(b) * D + col;
    for (int e = 0; e < E; ++e) {
      dweight[e] += row[e] * u;
      dbias[e] += row[e];
    }
  }
}

}  // namespace

template <typename T>
void Mlp<T>::embed_forward(const T* params, int B) {
  const MlpLayout& l = layout_;
  const ModelConfig& c = l.config;
  const int D = l.input_dim, E = c.embedding_size;
  const T scale = T(c.input_scale);
  auto at = [params](size_t offset) { return offset == MlpLayout::kAbsent ? nullptr : params + offset; };
  T* emb = acts_.emb.data();
  embed_column(emb, D, 0, acts_.x.data(), B, c.input_embedding, E, scale, input_freqs_,
               at(l.in1_w), at(l.in1_b));
  embed_column(emb, D, l.input_width, acts_.y.data(), B, c.input_embedding, E, scale,
               input_freqs_, at(l.in2_w), at(l.in2_b));
  embed_column(emb, D, 2 * l.input_width, acts_.t.data(), B, c.time_embedding, E, T(1),
               time_freqs_, at(l.time_w), at(l.time_b));
}

template <typename T>
void Mlp<T>::trunk_forward(const T* params, int B) {
  const MlpLayout& l = layout_;
  const int H = l.config.hidden_size, L = l.config.hidden_layers, D = l.input_dim;
  const size_t BH = size_t(B) * H;
  T* pre = acts_.pre.data();
  T* hid = acts_.hid.data();
  linear_forward(pre, acts_.emb.data(), params + l.w_in, params + l.b_in, B, D, H);
  simd::gelu_forward(hid, pre, BH);
  for (int i = 1; i <= L; ++i) {
    const T* h_prev = hid + size_t(i - 1) * BH;
    T* a = pre + size_t(i) * BH;
    T* h = hid + size_t(i) * BH;
    linear_forward(a, h_prev, params + l.w_block[i - 1], params + l.b_block[i - 1], B, H, H);
    simd::gelu_forward(h, a, BH);
    Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>>(h, Eigen::Index(BH)) +=
        Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>>(h_prev, Eigen::Index(BH));
  }
  linear_forward(acts_.out.data(), hid + size_t(L) * BH, params + l.w_out, params + l.b_out, B,
                 H, 2);
}

template <typename T>
const T* Mlp<T>::forward(const T* params, const T* xy, const int* t, int B) {
  acts_.reserve(layout_, B);
  for (int b = 0; b < B; ++b) {
    acts_.x[b] = xy[2 * b];
    acts_.y[b] = xy[2 * b + 1];
    acts_.t[b] = T(t[b]);
  }
  embed_forward(params, B);
  trunk_forward(params, B);
  return acts_.out.data();
}

template <typename T>
const T* Mlp<T>::forward_shared_t(const T* params, const T* xy, int t, int B) {
  acts_.reserve(layout_, B);
  for (int b = 0; b < B; ++b) {
    acts_.x[b] = xy[2 * b];
    acts_.y[b] = xy[2 * b + 1];
    acts_.t[b] = T(t);
  }
  embed_forward(params, B);
  trunk_forward(params, B);
  return acts_.out.data();
}

template <typename T>
void Mlp<T>::backward(T* grads, const T* params, const T* dout, int B) {
  const MlpLayout& l = layout_;
  const int H = l.config.hidden_size, L = l.config.hidden_layers, D = l.input_dim,
            E = l.config.embedding_size;
  const size_t BH = size_t(B) * H;
  const T* pre = acts_.pre.data();
  const T* hid = acts_.hid.data();
  T* d_hid = acts_.d_hid.data();
  T* d_prev = acts_.d_hid_next.data();
  T* d_pre = acts_.d_pre.data();

  std::fill_n(d_hid, BH, T(0));
  linear_backward(d_hid, grads + l.w_out, grads + l.b_out, dout, hid + size_t(L) * BH,
                  params + l.w_out, B, H, 2);
  for (int i = L; i >= 1; --i) {
    // h_i = h_{i-1} + gelu(a_i): the residual passes d_hid through unchanged.
    std::fill_n(d_pre, BH, T(0));
    simd::gelu_backward(d_pre, pre + size_t(i) * BH, d_hid, BH);
    std::copy_n(d_hid, BH, d_prev);
    linear_backward(d_prev, grads + l.w_block[i - 1], grads + l.b_block[i - 1], d_pre,
                    hid + size_t(i - 1) * BH, params + l.w_block[i - 1], B, H, H);
    std::swap(d_hid, d_prev);
  }
  std::fill_n(d_pre, BH, T(0));
  simd::gelu_backward(d_pre, pre, d_hid, BH);

  T* d_emb = nullptr;
  if (l.has_learnable_embedding()) {
    d_emb = acts_.d_emb.data();
    std::fill_n(d_emb, size_t(B) * D, T(0));
  }
  linear_backward(d_emb, grads + l.w_in, grads + l.b_in, d_pre, acts_.emb.data(),
                  params + l.w_in, B, D, H);
  if (l.config.input_embedding == EmbeddingKind::Learnable) {
    learnable_embedding_backward(grads + l.in1_w, grads + l.in1_b, d_emb, D, 0, acts_.x.data(),
                                 B, E);
    learnable_embedding_backward(grads + l.in2_w, grads + l.in2_b, d_emb, D, l.input_width,
                                 acts_.y.data(), B, E);
  }
  if (l.config.time_embedding == EmbeddingKind::Learnable) {
    learnable_embedding_backward(grads + l.time_w, grads + l.time_b, d_emb, D,
                                 2 * l.input_width, acts_.t.data(), B, E);
  }
}

#define TINYDIFF_INSTANTIATE(T)                                                               \
  template void init_parameters<T>(T*, const MlpLayout&, Rng&);                               \
  template void linear_forward<T>(T*, const T*, const T*, const T*, int, int, int);           \
  template void linear_backward<T>(T*, T*, T*, const T*, const T*, const T*, int, int, int);  \
  template double mse_loss<T>(T*, const T*, const T*, int);                                   \
  template struct MlpActivations<T>;                                                          \
  template class Mlp<T>;
TINYDIFF_INSTANTIATE(float)
TINYDIFF_INSTANTIATE(double)
#undef TINYDIFF_INSTANTIATE

}  // namespace tinydiff
