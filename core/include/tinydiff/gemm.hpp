// Small dense matrix products for the MLP, written with xsimd, and their
// scalar references (tests/test_kernels.cpp holds them to each other).
//
//   gemm_accumulate:  C[M, N] += A[M, K] * B[K, N]
//
// B and C are row-major with leading dimensions ldb / ldc. A is addressed
// through two strides, A(m, k) = a[m * a_row + k * a_col], so one kernel
// serves all three products of a linear layer:
//   forward   Y  = X  W^T  : A = X (row-major),   B = W^T (a transposed copy)
//   backward  dX += dY W   : A = dY,              B = W
//   backward  dW += dY^T X : A = dY^T (strided),  B = X
// Each output is a single chain of multiply-adds over k in order, so results
// do not depend on M, N or the SIMD width (only on FMA vs mul+add).
#pragma once

#include <cstddef>

#include <xsimd/xsimd.hpp>

namespace tinydiff {

namespace scalar {

template <typename T>
void gemm_accumulate(T* c, size_t ldc, const T* a, size_t a_row, size_t a_col, const T* b,
                     size_t ldb, size_t M, size_t N, size_t K) {
  for (size_t m = 0; m < M; ++m)
    for (size_t n = 0; n < N; ++n) {
      T sum = c[m * ldc + n];
      for (size_t k = 0; k < K; ++k) sum += a[m * a_row + k * a_col] * b[k * ldb + n];
      c[m * ldc + n] = sum;
    }
}

// out[M, N] = in[N, M]^T
template <typename T>
void transpose(T* out, const T* in, size_t M, size_t N) {
  for (size_t n = 0; n < N; ++n)
    for (size_t m = 0; m < M; ++m) out[m * N + n] = in[n * M + m];
}

}  // namespace scalar

namespace simd {

namespace detail {

// An MR x (NR vectors) block of C held in registers across the whole K loop.
template <typename T, int MR, int NR>
inline void gemm_block(T* c, size_t ldc, const T* a, size_t a_row, size_t a_col, const T* b,
                       size_t ldb, size_t K) {
  using V = xsimd::batch<T>;
  constexpr size_t W = V::size;
  V acc[MR][NR];
  for (int r = 0; r < MR; ++r)
    for (int j = 0; j < NR; ++j) acc[r][j] = V::load_unaligned(c + r * ldc + j * W);
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
}

// All rows of one column panel: blocks of MR rows, then 4, then single rows.
template <typename T, int MR, int NR>
inline void gemm_column_panel(T* c, size_t ldc, const T* a, size_t a_row, size_t a_col,
                              const T* b, size_t ldb, size_t M, size_t K) {
  size_t m = 0;
  for (; m + MR <= M; m += MR)
    gemm_block<T, MR, NR>(c + m * ldc, ldc, a + m * a_row, a_row, a_col, b, ldb, K);
  if constexpr (MR > 4) {
    for (; m + 4 <= M; m += 4)
      gemm_block<T, 4, NR>(c + m * ldc, ldc, a + m * a_row, a_row, a_col, b, ldb, K);
  }
  for (; m < M; ++m) gemm_block<T, 1, NR>(c + m * ldc, ldc, a + m * a_row, a_row, a_col, b, ldb, K);
}


template <typename T>
void gemm_panels(T* c, size_t ldc, const T* a, size_t a_row, size_t a_col, const T* b,
                 size_t ldb, size_t M, size_t N, size_t K) {
  using V = xsimd::batch<T>;
  constexpr size_t W = V::size;
  // Register blocks of about 16 accumulators: wide registers (AVX-512, 32 of
  // them) take 4x4, 8x2 or 8x1 vectors; narrower ISAs (SSE, wasm SIMD, AVX2:
  // 16 registers) 4x2 or 8x1. Narrow panels get more rows so that enough
  // independent multiply-adds are in flight.
  size_t n = 0;
  if constexpr (sizeof(V) >= 64) {
    for (; n + 4 * W <= N; n += 4 * W) gemm_column_panel<T, 4, 4>(c + n, ldc, a, a_row, a_col, b + n, ldb, M, K);
    for (; n + 2 * W <= N; n += 2 * W) gemm_column_panel<T, 8, 2>(c + n, ldc, a, a_row, a_col, b + n, ldb, M, K);
  } else {
    for (; n + 2 * W <= N; n += 2 * W) gemm_column_panel<T, 4, 2>(c + n, ldc, a, a_row, a_col, b + n, ldb, M, K);
  }
  for (; n + W <= N; n += W) gemm_column_panel<T, 8, 1>(c + n, ldc, a, a_row, a_col, b + n, ldb, M, K);
  if (n < N) scalar::gemm_accumulate(c + n, ldc, a, a_row, a_col, b + n, ldb, M, N - n, K);
}

}  // namespace detail

template <typename T>
void gemm_accumulate(T* c, size_t ldc, const T* a, size_t a_row, size_t a_col, const T* b,
                     size_t ldb, size_t M, size_t N, size_t K) {
  // K in chunks of 128: a chunk of a 64-column panel of B (32 KB) stays in L1
  // while every row block passes over it. C carries the sum between chunks
  // in float, exactly as the registers would: the results do not change.
  constexpr size_t kChunk = 128;
  for (size_t k0 = 0; k0 < K; k0 += kChunk) {
    const size_t kc = K - k0 < kChunk ? K - k0 : kChunk;
    detail::gemm_panels(c, ldc, a + k0 * a_col, a_row, a_col, b + k0 * ldb, ldb, M, N, kc);
  }
}

// out[M, N] = in[N, M]^T, in 8 x 8 tiles for locality.
template <typename T>
void transpose(T* out, const T* in, size_t M, size_t N) {
  constexpr size_t kTile = 8;
  for (size_t n0 = 0; n0 < N; n0 += kTile)
    for (size_t m0 = 0; m0 < M; m0 += kTile) {
      const size_t n1 = n0 + kTile < N ? n0 + kTile : N, m1 = m0 + kTile < M ? m0 + kTile : M;
      for (size_t n = n0; n < n1; ++n)
        for (size_t m = m0; m < m1; ++m) out[m * N + n] = in[n * M + m];
    }
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
}  // namespace tinydiff
