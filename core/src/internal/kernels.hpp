// Elementwise SIMD kernels (xsimd) and their scalar references.
//
// Every kernel in tinydiff::simd has a twin in tinydiff::scalar with the same
// signature, written as plainly as possible; tests/test_kernels.cpp holds
// them to each other. Both are templates over float (training, sampling) and
// double (the finite-difference gradient checks).
//
// Conventions (as llm.c): outputs first, then inputs; *_backward kernels
// accumulate (+=) into their gradient outputs unless told to write them
// (gelu_backward's accumulate = false), which spares a zeroing pass.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "internal/simd_diagnostics.hpp"

namespace tinydiff {

// Frequencies of the reference's SinusoidalEmbedding for an embedding of
// `size` (= 2 * half): f_k = exp(-k * log(10000) / (half - 1)), computed in T
// exactly as PyTorch does in float32.
template <typename T>
std::vector<T> sinusoidal_frequencies(int size) {
  const int half = size / 2;
  const T step = std::log(T(10000)) / T(half - 1);
  std::vector<T> freqs(half);
  for (int k = 0; k < half; ++k) freqs[k] = std::exp(-step * T(k));
  return freqs;
}

// GELU's erf and exp see their argument clamped to [-10, 10]: beyond it
// Phi(x) is 0 or 1 and phi(x) below 1e-22 to float precision, but computing
// them there makes subnormal floats, which are ~50x slower on x86 and halved
// the training speed after ~30k steps (pre-activations reach |x| ~ 14).
constexpr double kGeluClamp = 10.0;
constexpr double kAdamFlush = 1e-15;

namespace scalar {

template <typename T>
T gelu_clamped(T x) {
  return std::min(std::max(x, T(-kGeluClamp)), T(kGeluClamp));
}

template <typename T>
T gelu(T x) {
  return T(0.5) * x * (T(1) + std::erf(x * T(0.70710678118654752440)));
}
template <typename T>
T gelu_derivative(T x) {
  const T cdf = T(0.5) * (T(1) + std::erf(x * T(0.70710678118654752440)));
  const T pdf = std::exp(T(-0.5) * x * x) * T(0.39894228040143267794);
  return cdf + x * pdf;
}

// out[i] = gelu(inp[i]) = inp[i] * Phi(inp[i]) (exact erf GELU), plus
// residual[i] when given (the MLP's residual blocks: one pass instead of
// two). The cache slope[i] = gelu'(inp[i]) = Phi + inp * phi is all the
// backward pass needs: it then costs a multiply instead of an exp.
template <typename T>
void gelu_forward(T* out, T* slope, const T* inp, size_t n, const T* residual = nullptr) {
  for (size_t i = 0; i < n; ++i) {
    const T c = gelu_clamped(inp[i]);
    const T cdf = T(0.5) * (T(1) + std::erf(c * T(0.70710678118654752440)));
    const T pdf = std::exp(T(-0.5) * c * c) * T(0.39894228040143267794);
    slope[i] = cdf + inp[i] * pdf;
    out[i] = inp[i] * cdf;
    if (residual) out[i] += residual[i];
  }
}

// dinp[i] += dout[i] * slope[i], the slope cached by gelu_forward.
// With accumulate = false, dinp[i] = ... (dinp is not read: no zeroing pass).
template <typename T>
void gelu_backward(T* dinp, const T* slope, const T* dout, size_t n, bool accumulate = true) {
  for (size_t i = 0; i < n; ++i) {
    const T grad = dout[i] * slope[i];
    dinp[i] = accumulate ? dinp[i] + grad : grad;
  }
}

// Feature-major: for n values x_b = values[b] * scale, feature k of value b
// goes to out[k * ld + b]: out[k][b] = sin(x_b f_k), out[half + k][b] = cos(x_b f_k).
template <typename T>
void sinusoidal_embedding(T* out, size_t ld, const T* values, size_t n, const T* freqs,
                          size_t half, T scale) {
  for (size_t b = 0; b < n; ++b) {
    const T x = values[b] * scale;
    for (size_t k = 0; k < half; ++k) {
      out[k * ld + b] = std::sin(x * freqs[k]);
      out[(half + k) * ld + b] = std::cos(x * freqs[k]);
    }
  }
}

// sum of x[i]^2, accumulated in double.
template <typename T>
double sum_squares(const T* x, size_t n) {
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += double(x[i]) * double(x[i]);
  return sum;
}

// out[r] += sum of row r of x [rows, cols] (row-major)
template <typename T>
void add_row_sums(T* out, const T* x, size_t rows, size_t cols) {
  for (size_t r = 0; r < rows; ++r) {
    T sum = 0;
    for (size_t c = 0; c < cols; ++c) sum += x[r * cols + c];
    out[r] += sum;
  }
}

// Exponential moving average: average[i] += (1 - decay) * (params[i] - average[i]).
template <typename T>
void ema_update(T* average, const T* params, size_t n, T decay) {
  const T rate = T(1) - decay;
  for (size_t i = 0; i < n; ++i) average[i] += rate * (params[i] - average[i]);
}

// One AdamW step with PyTorch's semantics (decoupled weight decay first).
// `step` counts from 1. Gradients and first moments below kAdamFlush (and
// second moments below its square) are set to 0: a weight whose gradient
// vanishes would otherwise decay m and v through the subnormal floats, which
// are ~50x slower on x86 (they halved the training speed after ~30k steps).
// It changes a step by less than lr * 1e-7 (eps = 1e-8 dominates such v).
// The gradient used is grads[i] * grad_scale (in T, as PyTorch's in-place
// clipping multiplies): gradient-norm clipping costs no pass of its own.
template <typename T>
void adamw_update(T* params, T* m, T* v, const T* grads, size_t n, T grad_scale, double lr,
                  double beta1, double beta2, double eps, double weight_decay, long step) {
  const T decay = T(1.0 - lr * weight_decay);
  const T b1 = T(beta1), one_minus_b1 = T(1.0 - beta1);
  const T b2 = T(beta2), one_minus_b2 = T(1.0 - beta2);
  const T step_size = T(lr / (1.0 - std::pow(beta1, double(step))));
  const T bc2_sqrt = T(std::sqrt(1.0 - std::pow(beta2, double(step))));
  const T epsilon = T(eps);
  for (size_t i = 0; i < n; ++i) {
    const T scaled = grads[i] * grad_scale;
    const T g = std::fabs(scaled) < T(kAdamFlush) ? T(0) : scaled;
    params[i] *= decay;
    m[i] = m[i] * b1 + g * one_minus_b1;
    v[i] = v[i] * b2 + g * g * one_minus_b2;
    if (std::fabs(m[i]) < T(kAdamFlush)) m[i] = 0;
    if (v[i] < T(kAdamFlush * kAdamFlush)) v[i] = 0;
    const T denom = std::sqrt(v[i]) / bc2_sqrt + epsilon;
    params[i] -= step_size * (m[i] / denom);
  }
}

}  // namespace scalar

TINYDIFF_SIMD_KERNELS_BEGIN

namespace simd {

template <typename T>
using Batch = xsimd::batch<T>;

namespace detail {

// Phi(x) and phi(x) of the standard normal for float, with one exp, no
// division, no erf: for t = |x| / sqrt(2), erfc(t) = exp(-t^2) E(t), where E
// (degree 12) was fitted to erfc(t) exp(t^2) on [0, 4] by least squares on
// Chebyshev nodes, weighted by exp(-t^2) (the error that reaches Phi). In
// float it is within 6e-8 of Phi (the rounding of Phi itself); exp(-t^2) is
// phi's too. Past t = 4 (erfc < 1.6e-8) E is held at E(4): an absolute error
// below 1e-8. Phi(-|x|) = erfc(t) / 2 also keeps the lower tail's relative
// precision (2e-4 down to x = -4, Phi = 3e-5), which 1 + erf(x) loses.
// x is clamped to [-kGeluClamp, kGeluClamp] first: no subnormal floats.
template <class V>
inline void normal_cdf_pdf(const V& x, V& cdf, V& pdf) {
  using T = typename V::value_type;
  const V xc = xsimd::min(xsimd::max(x, V(T(-kGeluClamp))), V(T(kGeluClamp)));
  const V t = xsimd::abs(xc) * V(T(0.70710678118654752440));
  const V tc = xsimd::min(t, V(T(4)));
  V e(T(6.880605724290945e-06));
  for (T c : {T(-0.00013555285113397986), T(0.0012083968613296747), T(-0.006531895603984594),
              T(0.024362845346331596), T(-0.06822946667671204), T(0.15364114940166473),
              T(-0.29433971643447876), T(0.4978545606136322), T(-0.7518335580825806),
              T(0.9999573826789856), T(-1.1283774375915527), T(1.0)})
    e = xsimd::fma(e, tc, V(c));
  const V gauss = xsimd::exp(-(t * t));  // exp(-x^2 / 2)
  const V half_erfc = V(T(0.5)) * gauss * e;
  cdf = xsimd::select(xc < V(T(0)), half_erfc, V(T(1)) - half_erfc);
  pdf = gauss * V(T(0.39894228040143267794));
}

}  // namespace detail

template <typename T>
void gelu_forward(T* out, T* slope, const T* inp, size_t n, const T* residual = nullptr) {
  constexpr size_t W = Batch<T>::size;
  size_t i = 0;
  for (; i + W <= n; i += W) {
    const Batch<T> x = Batch<T>::load_unaligned(inp + i);
    Batch<T> cdf, pdf;
    if constexpr (std::is_same_v<T, float>) {
      detail::normal_cdf_pdf(x, cdf, pdf);
    } else {  // double (the gradient checks): the library's erf and exp
      const Batch<T> c = xsimd::min(xsimd::max(x, Batch<T>(T(-kGeluClamp))), Batch<T>(T(kGeluClamp)));
      cdf = T(0.5) * (T(1) + xsimd::erf(c * T(0.70710678118654752440)));
      pdf = xsimd::exp(T(-0.5) * c * c) * T(0.39894228040143267794);
    }
    xsimd::fma(x, pdf, cdf).store_unaligned(slope + i);
    if (residual) xsimd::fma(x, cdf, Batch<T>::load_unaligned(residual + i)).store_unaligned(out + i);
    else (x * cdf).store_unaligned(out + i);
  }
  if (i < n) scalar::gelu_forward(out + i, slope + i, inp + i, n - i, residual ? residual + i : nullptr);
}

template <typename T>
void gelu_backward(T* dinp, const T* slope, const T* dout, size_t n, bool accumulate = true) {
  constexpr size_t W = Batch<T>::size;
  size_t i = 0;
  for (; i + W <= n; i += W) {
    const Batch<T> grad = Batch<T>::load_unaligned(dout + i) * Batch<T>::load_unaligned(slope + i);
    if (accumulate) (Batch<T>::load_unaligned(dinp + i) + grad).store_unaligned(dinp + i);
    else grad.store_unaligned(dinp + i);
  }
  if (i < n) scalar::gelu_backward(dinp + i, slope + i, dout + i, n - i, accumulate);
}

// Vectorised over the values (contiguous in the feature-major output).
template <typename T>
void sinusoidal_embedding(T* out, size_t ld, const T* values, size_t n, const T* freqs,
                          size_t half, T scale) {
  constexpr size_t W = Batch<T>::size;
  const Batch<T> scale_b(scale);
  size_t b = 0;
  for (; b + W <= n; b += W) {
    const Batch<T> x = Batch<T>::load_unaligned(values + b) * scale_b;
    for (size_t k = 0; k < half; ++k) {
      const auto sc = xsimd::sincos(x * Batch<T>(freqs[k]));
      sc.first.store_unaligned(out + k * ld + b);
      sc.second.store_unaligned(out + (half + k) * ld + b);
    }
  }
  if (b < n) scalar::sinusoidal_embedding(out + b, ld, values + b, n - b, freqs, half, scale);
}

// Accumulates blocks of 1024 elements in T lanes, then in double: accurate
// enough for float32 sums of millions of terms and still vectorised.
template <typename T>
double sum_squares(const T* x, size_t n) {
  constexpr size_t W = Batch<T>::size;
  constexpr size_t kBlock = 1024;
  double total = 0;
  size_t i = 0;
  while (i + W <= n) {
    Batch<T> acc(T(0));
    const size_t end = std::min(n - (n - i) % W, i + kBlock);
    for (; i < end; i += W) {
      const Batch<T> v = Batch<T>::load_unaligned(x + i);
      acc = xsimd::fma(v, v, acc);
    }
    total += double(xsimd::hadd(acc));
  }
  for (; i < n; ++i) total += double(x[i]) * double(x[i]);
  return total;
}

template <typename T>
void add_row_sums(T* out, const T* x, size_t rows, size_t cols) {
  constexpr size_t W = Batch<T>::size;
  for (size_t r = 0; r < rows; ++r) {
    const T* row = x + r * cols;
    Batch<T> acc(T(0));
    size_t c = 0;
    for (; c + W <= cols; c += W) acc += Batch<T>::load_unaligned(row + c);
    T sum = xsimd::hadd(acc);
    for (; c < cols; ++c) sum += row[c];
    out[r] += sum;
  }
}

template <typename T>
void adamw_update(T* params, T* m, T* v, const T* grads, size_t n, T grad_scale, double lr,
                  double beta1, double beta2, double eps, double weight_decay, long step) {
  constexpr size_t W = Batch<T>::size;
  const Batch<T> grad_scale_b(grad_scale);
  const T decay = T(1.0 - lr * weight_decay);
  const T step_size = T(lr / (1.0 - std::pow(beta1, double(step))));
  const T bc2_sqrt = T(std::sqrt(1.0 - std::pow(beta2, double(step))));
  // sqrt(v)/sqrt(bc2) becomes sqrt(v) * (1/sqrt(bc2)): one division per
  // element instead of two. (At 99k parameters AdamW is bound by memory
  // traffic, not by this arithmetic: docs/performance.md.)
  const Batch<T> decay_b(decay), step_b(step_size), inv_bc2_b(T(1) / bc2_sqrt);
  const Batch<T> b1 = Batch<T>(T(beta1)), one_minus_b1 = Batch<T>(T(1.0 - beta1));
  const Batch<T> b2 = Batch<T>(T(beta2)), one_minus_b2 = Batch<T>(T(1.0 - beta2));
  const Batch<T> eps_b = Batch<T>(T(eps));
  size_t i = 0;
  const Batch<T> zero(T(0)), flush = Batch<T>(T(kAdamFlush)), flush2 = Batch<T>(T(kAdamFlush * kAdamFlush));
  for (; i + W <= n; i += W) {
    Batch<T> g = Batch<T>::load_unaligned(grads + i) * grad_scale_b;
    g = xsimd::select(xsimd::abs(g) < flush, zero, g);
    const Batch<T> p = Batch<T>::load_unaligned(params + i) * decay_b;
    Batch<T> mi = xsimd::fma(Batch<T>::load_unaligned(m + i), b1, g * one_minus_b1);
    Batch<T> vi = xsimd::fma(Batch<T>::load_unaligned(v + i), b2, g * g * one_minus_b2);
    mi = xsimd::select(xsimd::abs(mi) < flush, zero, mi);
    vi = xsimd::select(vi < flush2, zero, vi);
    const Batch<T> denom = xsimd::fma(xsimd::sqrt(vi), inv_bc2_b, eps_b);
    xsimd::fnma(step_b, mi / denom, p).store_unaligned(params + i);
    mi.store_unaligned(m + i);
    vi.store_unaligned(v + i);
  }
  if (i < n) {
    scalar::adamw_update(params + i, m + i, v + i, grads + i, n - i, grad_scale, lr, beta1, beta2,
                         eps, weight_decay, step);
  }
}

template <typename T>
void ema_update(T* average, const T* params, size_t n, T decay) {
  constexpr size_t W = Batch<T>::size;
  const Batch<T> rate(T(1) - decay);
  size_t i = 0;
  for (; i + W <= n; i += W) {
    const Batch<T> a = Batch<T>::load_unaligned(average + i);
    xsimd::fma(rate, Batch<T>::load_unaligned(params + i) - a, a).store_unaligned(average + i);
  }
  if (i < n) scalar::ema_update(average + i, params + i, n - i, decay);
}

}  // namespace simd
TINYDIFF_SIMD_KERNELS_END
}  // namespace tinydiff
