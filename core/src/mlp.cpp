#include "internal/mlp.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "internal/gemm.hpp"
#include "internal/kernels.hpp"

namespace tinydiff {
template <typename T>
void init_parameters(T* params, const MlpLayout& layout, Rng& rng) {
  for (const TensorInfo& t : layout.tensors) {
    if (t.offset == layout.class_table) {  // nn.Embedding's default: N(0, 1)
      for (size_t i = 0; i < t.size; ++i) params[t.offset + i] = T(rng.normal());
      continue;
    }
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

// Activations are feature-major ([features, B], leading dimension B), so
// every product is "weights times activations" and vectorises along the
// batch. The products are tinydiff's own xsimd kernels (internal/gemm.hpp);
// core/src/reference_mlp.cpp is the plain Eigen twin the tests compare them to.
template <typename T>
void linear_forward(T* out, const T* inp, const T* weight, const T* bias, int B, int n_in,
                    int n_out, int weight_ld) {
  if (weight_ld < 0) weight_ld = n_in;
  const size_t rows = size_t(B), in = size_t(n_in), outs = size_t(n_out);
  for (size_t o = 0; o < outs; ++o) std::fill_n(out + o * rows, rows, bias[o]);
  simd::gemm_accumulate(out, rows, weight, size_t(weight_ld), size_t(1), inp, rows, outs, rows, in);
}

template <typename T>
void linear_backward(T* dinp, T* dweight, T* dbias, const T* dout, const T* inp, const T* weight,
                     int B, int n_in, int n_out, GradientMode mode, double* grad_sum_squares) {
  const bool overwrite = mode == GradientMode::Overwrite;
  const size_t rows = size_t(B), in = size_t(n_in), outs = size_t(n_out);
  // dW[out, in] += dY[out, B] X[B, in]: X batch-major, from a transposed copy.
  thread_local AlignedVector<T> batch_major;  // grown once
  if (batch_major.size() < rows * in) batch_major.resize(rows * in);
  simd::transpose(batch_major.data(), inp, rows, in);
  if (overwrite) {
    simd::gemm_assign(dweight, in, dout, rows, size_t(1), batch_major.data(), in, outs, in, rows,
                      grad_sum_squares);
    std::fill_n(dbias, outs, T(0));
  } else {
    simd::gemm_accumulate(dweight, in, dout, rows, size_t(1), batch_major.data(), in, outs, in,
                          rows, grad_sum_squares);
  }
  simd::add_row_sums(dbias, dout, outs, rows);
  if (grad_sum_squares) *grad_sum_squares += simd::sum_squares(dbias, outs);
  // dX[in, B] += W^T dY: A(i, o) = W[o, i]
  if (dinp) simd::gemm_accumulate(dinp, rows, weight, size_t(1), in, dout, rows, in, rows, outs);
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
  label.resize(B);
  emb.resize(B * D);
  pre.resize(B * H);
  hid.resize(L1 * B * H);
  slope.resize(L1 * B * H);
  out.resize(B * 2);
  out_t.resize(B * 2);
  d_out.resize(B * 2);
  d_out_t.resize(B * 2);
  d_hid.resize(B * H);
  d_pre.resize(B * H);
  if (layout.has_learnable_embedding() || layout.class_width > 0) d_emb.resize(B * D);
  shared_bias.resize(H);
  class_bias.resize(size_t(layout.config.num_classes + 1) * H);
  t_embedding.resize(size_t(layout.time_width));
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
// feature rows [row, row + width) of emb [D, B].
template <typename T>
void embed_rows(T* emb, int B, int row, const T* values, EmbeddingKind kind, int E, T scale,
                const std::vector<T>& freqs, const T* weight, const T* bias) {
  T* dst = emb + size_t(row) * B;
  switch (kind) {
    case EmbeddingKind::Sinusoidal:
      simd::sinusoidal_embedding(dst, size_t(B), values, size_t(B), freqs.data(), size_t(E / 2), scale);
      break;
    case EmbeddingKind::Linear:  // x / size * scale
      for (int b = 0; b < B; ++b) dst[b] = values[b] / T(E) * scale;
      break;
    case EmbeddingKind::Learnable:  // Linear(1, E) applied to x / size
      for (int e = 0; e < E; ++e)
        for (int b = 0; b < B; ++b) dst[size_t(e) * B + b] = values[b] / T(E) * weight[e] + bias[e];
      break;
    case EmbeddingKind::Identity:
      std::copy_n(values, B, dst);
      break;
    case EmbeddingKind::Zero:
      for (int b = 0; b < B; ++b) dst[b] = values[b] * T(0);
      break;
  }
}

// d weight[e] += sum_b d_emb[row + e, b] * (value_b / E); d bias[e] += sum_b d_emb[row + e, b]
// (or = with GradientMode::Overwrite); grad_sum_squares as linear_backward's.
template <typename T>
void learnable_embedding_backward(T* dweight, T* dbias, const T* d_emb, int B, int row,
                                  const T* values, int E, GradientMode mode, double* grad_sum_squares) {
  const bool overwrite = mode == GradientMode::Overwrite;
  for (int e = 0; e < E; ++e) {
    const T* grad = d_emb + size_t(row + e) * B;
    T dw = 0, db = 0;
    for (int b = 0; b < B; ++b) {
      dw += grad[b] * (values[b] / T(E));
      db += grad[b];
    }
    dweight[e] = overwrite ? dw : dweight[e] + dw;
    dbias[e] = overwrite ? db : dbias[e] + db;
  }
  if (grad_sum_squares) {
    *grad_sum_squares += simd::sum_squares(dweight, size_t(E)) + simd::sum_squares(dbias, size_t(E));
  }
}

}  // namespace

template <typename T>
void Mlp<T>::embed_forward(const T* params, int B, bool shared_t) {
  const MlpLayout& l = layout_;
  const ModelConfig& c = l.config;
  const int E = c.embedding_size;
  const T scale = T(c.input_scale);
  auto at = [params](size_t offset) { return offset == MlpLayout::kAbsent ? nullptr : params + offset; };
  T* emb = acts_.emb.data();
  embed_rows(emb, B, 0, acts_.x.data(), c.input_embedding, E, scale, input_freqs_, at(l.in1_w), at(l.in1_b));
  embed_rows(emb, B, l.input_width, acts_.y.data(), c.input_embedding, E, scale, input_freqs_,
             at(l.in2_w), at(l.in2_b));
  if (shared_t) {  // one embedding of t, a column of time_width values
    embed_rows(acts_.t_embedding.data(), 1, 0, acts_.t.data(), c.time_embedding, E, T(1), time_freqs_,
               at(l.time_w), at(l.time_b));
  } else {
    embed_rows(emb, B, 2 * l.input_width, acts_.t.data(), c.time_embedding, E, T(1), time_freqs_,
               at(l.time_w), at(l.time_b));
    if (l.class_width > 0) {  // each point's row of the class table (shared_t folds them in as biases)
      for (int e = 0; e < E; ++e) {
        T* dst = emb + size_t(l.class_column() + e) * B;
        for (int b = 0; b < B; ++b) dst[b] = params[l.class_table + size_t(acts_.label[b]) * E + e];
      }
    }
  }
}

template <typename T>
void Mlp<T>::trunk_forward(const T* params, int B, bool shared_t) {
  const MlpLayout& l = layout_;
  const int H = l.config.hidden_size, L = l.config.hidden_layers, D = l.input_dim;
  const size_t BH = size_t(B) * H;
  T* pre = acts_.pre.data();
  T* hid = acts_.hid.data();
  T* slope = acts_.slope.data();
  if (shared_t) {
    // Every point has the same t: its embedding's share of the first layer,
    // W_in[:, t columns] emb(t), is one vector, folded into the bias; the
    // product then runs over the x and y columns only.
    const int xy_cols = 2 * l.input_width;
    T* bias = acts_.shared_bias.data();
    for (int h = 0; h < H; ++h) {
      const T* w = params + l.w_in + size_t(h) * D + xy_cols;
      T sum = params[l.b_in + h];
      for (int k = 0; k < l.time_width; ++k) sum += w[k] * acts_.t_embedding[k];
      bias[h] = sum;
    }
    linear_forward(pre, acts_.emb.data(), params + l.w_in, bias, B, xy_cols, H, D);
    if (l.class_width > 0) {
      // The class columns' share, W_in[:, class columns] class_table[k], is
      // one vector per class: added to each point's column by its label.
      const int K1 = l.config.num_classes + 1, E = l.class_width;
      T* class_bias = acts_.class_bias.data();
      for (int k = 0; k < K1; ++k) {
        const T* row = params + l.class_table + size_t(k) * E;
        for (int h = 0; h < H; ++h) {
          const T* w = params + l.w_in + size_t(h) * D + l.class_column();
          T sum = 0;
          for (int e = 0; e < E; ++e) sum += w[e] * row[e];
          class_bias[size_t(k) * H + h] = sum;
        }
      }
      for (int h = 0; h < H; ++h) {
        T* column = pre + size_t(h) * B;
        for (int b = 0; b < B; ++b) column[b] += class_bias[size_t(acts_.label[b]) * H + h];
      }
    }
  } else {
    linear_forward(pre, acts_.emb.data(), params + l.w_in, params + l.b_in, B, D, H);
  }
  simd::gelu_forward(hid, slope, pre, BH);
  for (int i = 1; i <= L; ++i) {
    const T* h_prev = hid + size_t(i - 1) * BH;
    T* h = hid + size_t(i) * BH;
    linear_forward(pre, h_prev, params + l.w_block[i - 1], params + l.b_block[i - 1], B, H, H);
    simd::gelu_forward(h, slope + size_t(i) * BH, pre, BH, h_prev);  // h = h_prev + gelu(a)
  }
  T* out_t = acts_.out_t.data();
  linear_forward(out_t, hid + size_t(L) * BH, params + l.w_out, params + l.b_out, B, H, 2);
  for (int b = 0; b < B; ++b) {  // [2, B] -> interleaved [B, 2]
    acts_.out[2 * size_t(b)] = out_t[b];
    acts_.out[2 * size_t(b) + 1] = out_t[size_t(B) + b];
  }
}

namespace {
// The batch is padded to a multiple of 16 columns so that the products never
// fall back to scalar tails. Columns are independent and the padding holds
// zeros (zero gradients in backward), so results do not change.
}  // namespace

template <typename T>
template <typename TimeOf>
const T* Mlp<T>::run_forward(const T* params, const T* xy, TimeOf time_of, int B, bool shared_t,
                             const int* labels) {
  const int ld = padded_batch(B);
  acts_.reserve(layout_, ld);
  const int no_class = layout_.no_class();
  for (int b = 0; b < B; ++b) {
    acts_.x[b] = xy[2 * b];
    acts_.y[b] = xy[2 * b + 1];
    acts_.t[b] = T(time_of(b));
    acts_.label[b] = labels && layout_.class_width > 0 ? labels[b] : no_class;
  }
  std::fill(acts_.x.begin() + B, acts_.x.begin() + ld, T(0));
  std::fill(acts_.y.begin() + B, acts_.y.begin() + ld, T(0));
  std::fill(acts_.t.begin() + B, acts_.t.begin() + ld, T(0));
  std::fill(acts_.label.begin() + B, acts_.label.begin() + ld, no_class);
  embed_forward(params, ld, shared_t);
  trunk_forward(params, ld, shared_t);
  return acts_.out.data();
}

template <typename T>
const T* Mlp<T>::forward(const T* params, const T* xy, const int* t, int B, const int* labels) {
  return run_forward(params, xy, [t](int b) { return t[b]; }, B, false, labels);
}

template <typename T>
const T* Mlp<T>::forward_shared_t(const T* params, const T* xy, int t, int B, const int* labels) {
  return run_forward(params, xy, [t](int) { return t; }, B, true, labels);
}

template <typename T>
const T* Mlp<T>::forward_times(const T* params, const T* xy, const T* times, int B, const int* labels) {
  return run_forward(params, xy, [times](int b) { return times[b]; }, B, false, labels);
}

template <typename T>
const T* Mlp<T>::forward_shared_time(const T* params, const T* xy, T time, int B, const int* labels) {
  return run_forward(params, xy, [time](int) { return time; }, B, true, labels);
}

template <typename T>
void Mlp<T>::input_jacobian(const T* params, int batch, T* jac) {
  const int B = padded_batch(batch);  // the layout forward() used
  const MlpLayout& l = layout_;
  const ModelConfig& c = l.config;
  const int H = c.hidden_size, L = c.hidden_layers, D = l.input_dim, E = c.embedding_size, W = l.input_width;
  const size_t BH = size_t(B) * H;
  const T scale = T(c.input_scale);
  AlignedVector<T> d_emb(size_t(W) * B), d_pre(BH), d_hid(BH), d_out(2 * size_t(B));
  const std::vector<T> no_bias(size_t(std::max(H, 2)), T(0));
  for (int coordinate = 0; coordinate < 2; ++coordinate) {
    // d emb / d coordinate: only that coordinate's W rows of the embedding move.
    const T* emb = acts_.emb.data() + size_t(coordinate) * W * B;
    const size_t weight = coordinate == 0 ? l.in1_w : l.in2_w;
    switch (c.input_embedding) {
      case EmbeddingKind::Sinusoidal: {  // sin(s x f), cos(s x f) -> s f cos, -s f sin
        const int half = E / 2;
        for (int k = 0; k < half; ++k) {
          const T slope = scale * input_freqs_[size_t(k)];
          for (int b = 0; b < B; ++b) {
            d_emb[size_t(k) * B + b] = slope * emb[size_t(half + k) * B + b];
            d_emb[size_t(half + k) * B + b] = -slope * emb[size_t(k) * B + b];
          }
        }
        break;
      }
      case EmbeddingKind::Linear:
        std::fill_n(d_emb.data(), B, scale / T(E));
        break;
      case EmbeddingKind::Learnable:
        for (int e = 0; e < E; ++e) std::fill_n(d_emb.data() + size_t(e) * B, B, params[weight + size_t(e)] / T(E));
        break;
      case EmbeddingKind::Identity:
        std::fill_n(d_emb.data(), B, T(1));
        break;
      case EmbeddingKind::Zero:
        std::fill_n(d_emb.data(), size_t(W) * B, T(0));
        break;
    }
    // d a_0 = W_in[:, this coordinate's columns] d emb; d h_0 = gelu'(a_0) d a_0.
    linear_forward(d_pre.data(), d_emb.data(), params + l.w_in + size_t(coordinate) * W, no_bias.data(), B, W, H, D);
    const T* slope = acts_.slope.data();
    for (size_t i = 0; i < BH; ++i) d_hid[i] = slope[i] * d_pre[i];
    // Each block: d h_l = d h_{l-1} + gelu'(a_l) W_l d h_{l-1}.
    for (int i = 1; i <= L; ++i) {
      linear_forward(d_pre.data(), d_hid.data(), params + l.w_block[size_t(i - 1)], no_bias.data(), B, H, H);
      const T* s = slope + size_t(i) * BH;
      for (size_t j = 0; j < BH; ++j) d_hid[j] += s[j] * d_pre[j];
    }
    linear_forward(d_out.data(), d_hid.data(), params + l.w_out, no_bias.data(), B, H, 2);
    for (int b = 0; b < batch; ++b) {
      jac[4 * size_t(b) + size_t(coordinate)] = d_out[size_t(b)];                  // d out_x / d coordinate
      jac[4 * size_t(b) + 2 + size_t(coordinate)] = d_out[size_t(B) + size_t(b)];  // d out_y / d coordinate
    }
  }
}

template <typename T>
void Mlp<T>::backward(T* grads, const T* params, const T* dout, int batch, GradientMode mode,
                      double* grad_sum_squares) {
  const int B = padded_batch(batch);  // the layout forward() used
  const MlpLayout& l = layout_;
  const int H = l.config.hidden_size, L = l.config.hidden_layers, D = l.input_dim,
            E = l.config.embedding_size;
  const size_t BH = size_t(B) * H;
  const T* hid = acts_.hid.data();
  const T* slope = acts_.slope.data();
  T* d_hid = acts_.d_hid.data();
  T* d_pre = acts_.d_pre.data();
  T* d_out_t = acts_.d_out_t.data();
  std::fill_n(d_out_t, 2 * size_t(B), T(0));
  for (int b = 0; b < batch; ++b) {  // interleaved [batch, 2] -> [2, B]
    d_out_t[b] = dout[2 * size_t(b)];
    d_out_t[size_t(B) + b] = dout[2 * size_t(b) + 1];
  }

  std::fill_n(d_hid, BH, T(0));
  linear_backward(d_hid, grads + l.w_out, grads + l.b_out, d_out_t, hid + size_t(L) * BH,
                  params + l.w_out, B, H, 2, mode, grad_sum_squares);
  for (int i = L; i >= 1; --i) {
    // h_i = h_{i-1} + gelu(a_i): d h_{i-1} = d h_i (the residual) + W_i^T d a_i,
    // so the block's input gradient accumulates into d_hid in place.
    simd::gelu_backward(d_pre, slope + size_t(i) * BH, d_hid, BH, /*accumulate=*/false);
    linear_backward(d_hid, grads + l.w_block[i - 1], grads + l.b_block[i - 1], d_pre,
                    hid + size_t(i - 1) * BH, params + l.w_block[i - 1], B, H, H, mode,
                    grad_sum_squares);
  }
  simd::gelu_backward(d_pre, slope, d_hid, BH, /*accumulate=*/false);

  T* d_emb = nullptr;
  if (l.has_learnable_embedding() || l.class_width > 0) {
    d_emb = acts_.d_emb.data();
    std::fill_n(d_emb, size_t(B) * D, T(0));
  }
  linear_backward(d_emb, grads + l.w_in, grads + l.b_in, d_pre, acts_.emb.data(),
                  params + l.w_in, B, D, H, mode, grad_sum_squares);
  if (l.config.input_embedding == EmbeddingKind::Learnable) {
    learnable_embedding_backward(grads + l.in1_w, grads + l.in1_b, d_emb, B, 0, acts_.x.data(), E,
                                 mode, grad_sum_squares);
    learnable_embedding_backward(grads + l.in2_w, grads + l.in2_b, d_emb, B, l.input_width,
                                 acts_.y.data(), E, mode, grad_sum_squares);
  }
  if (l.config.time_embedding == EmbeddingKind::Learnable) {
    learnable_embedding_backward(grads + l.time_w, grads + l.time_b, d_emb, B,
                                 2 * l.input_width, acts_.t.data(), E, mode, grad_sum_squares);
  }
  if (l.class_width > 0) {
    // d class_table[k] += sum of d emb[class columns] over the points labelled k
    // (padding columns carry zero gradients).
    T* d_table = grads + l.class_table;
    const size_t table_size = size_t(l.config.num_classes + 1) * E;
    if (mode == GradientMode::Overwrite) std::fill_n(d_table, table_size, T(0));
    for (int e = 0; e < E; ++e) {
      const T* grad = d_emb + size_t(l.class_column() + e) * B;
      for (int b = 0; b < B; ++b) d_table[size_t(acts_.label[b]) * E + e] += grad[b];
    }
    if (grad_sum_squares) *grad_sum_squares += simd::sum_squares(d_table, table_size);
  }
}

#define TINYDIFF_INSTANTIATE(T)                                                               \
  template void init_parameters<T>(T*, const MlpLayout&, Rng&);                               \
  template void linear_forward<T>(T*, const T*, const T*, const T*, int, int, int, int);      \
  template void linear_backward<T>(T*, T*, T*, const T*, const T*, const T*, int, int, int, \
                                    GradientMode, double*);                                 \
  template double mse_loss<T>(T*, const T*, const T*, int);                                   \
  template struct MlpActivations<T>;                                                          \
  template class Mlp<T>;
TINYDIFF_INSTANTIATE(float)
TINYDIFF_INSTANTIATE(double)
#undef TINYDIFF_INSTANTIATE

}  // namespace tinydiff
