// Small dense matrix products for the MLP, written with xsimd, and their
// scalar references (tests/test_kernels.cpp holds them to each other).
//
//   gemm_accumulate:  C[M, N] += A[M, K] * B[K, N]
//   gemm_assign:      C[M, N]  = A[M, K] * B[K, N]   (C is not read: no zeroing pass)
//
// Both can also add the sum of squares of the M x N results to a double
// (`sum_squares`, null for none), taken from the registers as they are
// stored: gradient-norm clipping then needs no pass of its own.
//
// B and C are row-major with leading dimensions ldb / ldc. A is addressed
// through two strides, A(m, k) = a[m * a_row + k * a_col], so one kernel
// serves all three products of a linear layer on feature-major activations
// ([features, batch]):
//   forward   Y  = W X      : A = W,                 B = X
//   backward  dW += dY X^T  : A = dY,                B = X^T (a transposed copy)
//   backward  dX += W^T dY  : A = W^T (via strides), B = dY
// Each output is a single chain of multiply-adds over k in order, so results
// do not depend on M, N or the SIMD width (only on FMA vs mul+add).
#pragma once

#include <cstddef>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "internal/simd_diagnostics.hpp"

namespace tinydiff {

namespace scalar {

template <typename T>
void gemm_accumulate(T* c, size_t ldc, const T* a, size_t a_row, size_t a_col, const T* b,
                     size_t ldb, size_t M, size_t N, size_t K, double* sum_squares = nullptr) {
  for (size_t m = 0; m < M; ++m)
    for (size_t n = 0; n < N; ++n) {
      T sum = c[m * ldc + n];
      for (size_t k = 0; k < K; ++k) sum += a[m * a_row + k * a_col] * b[k * ldb + n];
      c[m * ldc + n] = sum;
      if (sum_squares) *sum_squares += double(sum) * double(sum);
    }
}

// C = A B: the same chains of multiply-adds, started from zero.
template <typename T>
void gemm_assign(T* c, size_t ldc, const T* a, size_t a_row, size_t a_col, const T* b, size_t ldb,
                 size_t M, size_t N, size_t K, double* sum_squares = nullptr) {
  for (size_t m = 0; m < M; ++m)
    for (size_t n = 0; n < N; ++n) c[m * ldc + n] = T(0);
  gemm_accumulate(c, ldc, a, a_row, a_col, b, ldb, M, N, K, sum_squares);
}

// out[M, N] = in[N, M]^T
template <typename T>
void transpose(T* out, const T* in, size_t M, size_t N) {
  for (size_t n = 0; n < N; ++n)
    for (size_t m = 0; m < M; ++m) out[m * N + n] = in[n * M + m];
}

}  // namespace scalar

TINYDIFF_SIMD_KERNELS_BEGIN

namespace simd {

namespace detail {

// An MR x (NR vectors) block of C held in registers across the whole K loop;
// it starts from C (kLoadC) or from zero.
template <typename T, int MR, int NR, bool kLoadC>
inline void gemm_block(T* c, size_t ldc, const T* a, size_t a_row, size_t a_col, const T* b,
                       size_t ldb, size_t K, double* sum_squares) {
  using V = xsimd::batch<T>;
  constexpr size_t W = V::size;
  V acc[MR][NR];
  for (int r = 0; r < MR; ++r)
    for (int j = 0; j < NR; ++j) acc[r][j] = kLoadC ? V::load_unaligned(c + r * ldc + j * W) : V(T(0));
  for (size_t k = 0; k < K; ++k) {
    V bv[NR];
    for (int j = 0; j < NR; ++j) bv[j] = V::load_unaligned(b + k * ldb + j * W);
    for (int r = 0; r < MR; ++r) {
      const V av(a[r * a_row + k * a_col]);
      for (int j = 0; j < NR; ++j) acc[r][j] = xsimd::fma(av, bv[j], acc[r][j]);
    }
  }
  for (int r = 0; r < MR; ++r)
    for (int j = 0; j < NR; ++j) acc[r][j].store_unaligned(c + r * ldc + j * W);
  if (sum_squares) {
    V squares(T(0));
    for (int r = 0; r < MR; ++r)
      for (int j = 0; j < NR; ++j) squares = xsimd::fma(acc[r][j], acc[r][j], squares);
    *sum_squares += double(xsimd::hadd(squares));
  }
}

// All rows of one column panel: blocks of MR rows, then of 4, 2 and 1.
template <typename T, int MR, int NR, bool kLoadC>
inline void gemm_column_panel(T* c, size_t ldc, const T* a, size_t a_row, size_t a_col,
                              const T* b, size_t ldb, size_t M, size_t K, double* sum_squares) {
  size_t m = 0;
  for (; m + MR <= M; m += MR)
    gemm_block<T, MR, NR, kLoadC>(c + m * ldc, ldc, a + m * a_row, a_row, a_col, b, ldb, K, sum_squares);
  if constexpr (MR > 4) {
    for (; m + 4 <= M; m += 4)
      gemm_block<T, 4, NR, kLoadC>(c + m * ldc, ldc, a + m * a_row, a_row, a_col, b, ldb, K, sum_squares);
  }
  if constexpr (MR > 2) {
    for (; m + 2 <= M; m += 2)
      gemm_block<T, 2, NR, kLoadC>(c + m * ldc, ldc, a + m * a_row, a_row, a_col, b, ldb, K, sum_squares);
  }
  for (; m < M; ++m)
    gemm_block<T, 1, NR, kLoadC>(c + m * ldc, ldc, a + m * a_row, a_row, a_col, b, ldb, K, sum_squares);
}

template <typename T, bool kLoadC>
void gemm_panels(T* c, size_t ldc, const T* a, size_t a_row, size_t a_col, const T* b,
                 size_t ldb, size_t M, size_t N, size_t K, double* sum_squares) {
  using V = xsimd::batch<T>;
  constexpr size_t W = V::size;
  // Register blocks (rows x vectors of C) sized to the register file, each
  // measured against the others on the layers' shapes (docs/performance.md,
  // "Kernels for AVX2 and for wasm"):
  //   AVX-512 (32 registers): 4 x 4, then 8 x 2 for narrower panels;
  //   AVX2 + FMA (16): 6 x 2, 12 accumulators (1.4-1.8x 4 x 2's GFLOP/s);
  //   wasm SIMD (16, no FMA: a product needs a register of its own): 2 x 4,
  //     one broadcast a row for four vectors (~10% over 4 x 2 in V8);
  //   SSE2 (16, no FMA): 4 x 2 (the candidates within 10% of one another).
  // Narrow panels get more rows so that enough independent sums are in flight.
  size_t n = 0;
  if constexpr (sizeof(V) >= 64) {
    for (; n + 4 * W <= N; n += 4 * W) gemm_column_panel<T, 4, 4, kLoadC>(c + n, ldc, a, a_row, a_col, b + n, ldb, M, K, sum_squares);
    for (; n + 2 * W <= N; n += 2 * W) gemm_column_panel<T, 8, 2, kLoadC>(c + n, ldc, a, a_row, a_col, b + n, ldb, M, K, sum_squares);
  } else if constexpr (sizeof(V) == 32) {
    for (; n + 2 * W <= N; n += 2 * W) gemm_column_panel<T, 6, 2, kLoadC>(c + n, ldc, a, a_row, a_col, b + n, ldb, M, K, sum_squares);
  } else {
#if defined(__wasm_simd128__)
    for (; n + 4 * W <= N; n += 4 * W) gemm_column_panel<T, 2, 4, kLoadC>(c + n, ldc, a, a_row, a_col, b + n, ldb, M, K, sum_squares);
#endif
    for (; n + 2 * W <= N; n += 2 * W) gemm_column_panel<T, 4, 2, kLoadC>(c + n, ldc, a, a_row, a_col, b + n, ldb, M, K, sum_squares);
  }
  for (; n + W <= N; n += W) gemm_column_panel<T, 8, 1, kLoadC>(c + n, ldc, a, a_row, a_col, b + n, ldb, M, K, sum_squares);
  if (n < N) {
    if constexpr (kLoadC) scalar::gemm_accumulate(c + n, ldc, a, a_row, a_col, b + n, ldb, M, N - n, K, sum_squares);
    else scalar::gemm_assign(c + n, ldc, a, a_row, a_col, b + n, ldb, M, N - n, K, sum_squares);
  }
}

constexpr size_t kChunk = 128;

}  // namespace detail

template <typename T>
void gemm_accumulate(T* c, size_t ldc, const T* a, size_t a_row, size_t a_col, const T* b,
                     size_t ldb, size_t M, size_t N, size_t K, double* sum_squares = nullptr) {
  // K in chunks of kChunk: a chunk of a column panel of B (8-32 KB: 16 to 64
  // columns) stays in L1 while every row block passes over it. C carries the
  // sum between chunks in float, exactly as the registers would: the results
  // do not change.
  for (size_t k0 = 0; k0 < K; k0 += detail::kChunk) {
    const size_t kc = K - k0 < detail::kChunk ? K - k0 : detail::kChunk;
    const bool last = k0 + kc == K;  // the squares of the final values only
    detail::gemm_panels<T, true>(c, ldc, a + k0 * a_col, a_row, a_col, b + k0 * ldb, ldb, M, N, kc,
                                 last ? sum_squares : nullptr);
  }
}

// The same product written over C: the first K chunk starts its registers
// from zero, so C needs no zeroing pass and is never read before it is set.
template <typename T>
void gemm_assign(T* c, size_t ldc, const T* a, size_t a_row, size_t a_col, const T* b, size_t ldb,
                 size_t M, size_t N, size_t K, double* sum_squares = nullptr) {
  if (K == 0) return scalar::gemm_assign(c, ldc, a, a_row, a_col, b, ldb, M, N, K, sum_squares);
  const size_t kc = K < detail::kChunk ? K : detail::kChunk;
  detail::gemm_panels<T, false>(c, ldc, a, a_row, a_col, b, ldb, M, N, kc, K > kc ? nullptr : sum_squares);
  if (K > kc) gemm_accumulate(c, ldc, a + kc * a_col, a_row, a_col, b + kc * ldb, ldb, M, N, K - kc, sum_squares);
}

namespace detail {

// Square tiles transposed in registers. xsimd 8.1 has no cross-lane shuffle
// that would serve (its AVX/AVX-512 zip_lo/zip_hi work within 128-bit lanes),
// so these two use the instruction sets directly; wasm builds take the SSE
// one through Emscripten's SSE-to-wasm-SIMD headers.
#if XSIMD_WITH_AVX512F
constexpr size_t kTransposeTile = 16;
// out[i, j] = in[j, i] for a 16 x 16 tile: unpacks pair rows, shuffles make
// 4 x 4 blocks, then two rounds of 128-bit lane shuffles move the blocks.
inline void transpose_tile(float* out, size_t ldo, const float* in, size_t ldi) {
  __m512 r[16], t[16];
  for (int i = 0; i < 16; ++i) r[i] = _mm512_loadu_ps(in + i * ldi);
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    r[i] = _mm512_shuffle_ps(t[i], t[i + 2], 0x44);
    r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], 0xEE);
    r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0x44);
    r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
  }
  for (int i = 0; i < 16; i += 8)
    for (int j = 0; j < 4; ++j) {
      t[i + j] = _mm512_shuffle_f32x4(r[i + j], r[i + 4 + j], 0x88);
      t[i + 4 + j] = _mm512_shuffle_f32x4(r[i + j], r[i + 4 + j], 0xDD);
    }
  for (int j = 0; j < 8; ++j) {
    r[j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0x88);
    r[8 + j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0xDD);
  }
  for (int i = 0; i < 16; ++i) _mm512_storeu_ps(out + i * ldo, r[i]);
}
#elif XSIMD_WITH_SSE2
constexpr size_t kTransposeTile = 4;
inline void transpose_tile(float* out, size_t ldo, const float* in, size_t ldi) {
  __m128 r0 = _mm_loadu_ps(in), r1 = _mm_loadu_ps(in + ldi), r2 = _mm_loadu_ps(in + 2 * ldi),
         r3 = _mm_loadu_ps(in + 3 * ldi);
  _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
  _mm_storeu_ps(out, r0);
  _mm_storeu_ps(out + ldo, r1);
  _mm_storeu_ps(out + 2 * ldo, r2);
  _mm_storeu_ps(out + 3 * ldo, r3);
}
#else
constexpr size_t kTransposeTile = 0;  // no tile kernel: plain loops
#endif

}  // namespace detail

// out[M, N] = in[N, M]^T: whole tiles in registers (float), the edges and
// double in plain loops. (The backward pass transposes every layer's input
// for the weight-gradient product: ~29k floats a training step.)
template <typename T>
void transpose(T* out, const T* in, size_t M, size_t N) {
  size_t m_tiled = 0, n_tiled = 0;
  if constexpr (std::is_same_v<T, float> && detail::kTransposeTile > 0) {
    constexpr size_t S = detail::kTransposeTile;
    m_tiled = M - M % S;
    n_tiled = N - N % S;
    for (size_t n0 = 0; n0 < n_tiled; n0 += S)
      for (size_t m0 = 0; m0 < m_tiled; m0 += S) detail::transpose_tile(out + m0 * N + n0, N, in + n0 * M + m0, M);
  }
  // What the tiles left: the rows n >= n_tiled (all m), then m >= m_tiled.
  for (size_t n = n_tiled; n < N; ++n)
    for (size_t m = 0; m < M; ++m) out[m * N + n] = in[n * M + m];
  for (size_t n = 0; n < n_tiled; ++n)
    for (size_t m = m_tiled; m < M; ++m) out[m * N + n] = in[n * M + m];
}

// out[i] = dot(x, rows[i]) for `count` rows of length n (row stride ld).
template <typename T>
void dot_rows(T* out, const T* x, const T* rows, size_t ld, size_t count, size_t n) {
  using V = xsimd::batch<T>;
  constexpr size_t W = V::size;
  for (size_t i = 0; i < count; ++i) {
    const T* row = rows + i * ld;
    V acc(T(0));
    size_t k = 0;
    for (; k + W <= n; k += W) acc = xsimd::fma(V::load_unaligned(x + k), V::load_unaligned(row + k), acc);
    T sum = xsimd::hadd(acc);
    for (; k < n; ++k) sum += x[k] * row[k];
    out[i] = sum;
  }
}

}  // namespace simd
TINYDIFF_SIMD_KERNELS_END
}  // namespace tinydiff
