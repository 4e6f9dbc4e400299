// Every SIMD kernel against its scalar reference, on lengths that exercise
// the vector body and the scalar tail.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "internal/gemm.hpp"
#include "internal/kernels.hpp"
#include "tinydiff/rng.hpp"

namespace tinydiff {
namespace {

const size_t kLengths[] = {0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 1000, 4099};

template <typename T>
std::vector<T> random_vector(size_t n, Rng& rng, double lo, double hi) {
  std::vector<T> v(n);
  for (auto& x : v) x = T(rng.uniform(lo, hi));
  return v;
}

template <typename T>
void expect_close(const std::vector<T>& a, const std::vector<T>& b, double rtol, double atol,
                  const char* what, size_t n) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_NEAR(double(a[i]), double(b[i]), atol + rtol * std::fabs(double(b[i])))
        << what << " element " << i << " of n=" << n;
  }
}

template <typename T>
class Kernels : public ::testing::Test {};
using Scalars = ::testing::Types<float, double>;
TYPED_TEST_SUITE(Kernels, Scalars);

// float: a few ulp of libm differences; double: near machine precision.
template <typename T>
constexpr double kTol = std::is_same_v<T, float> ? 2e-6 : 1e-13;

TYPED_TEST(Kernels, GeluForward) {
  using T = TypeParam;
  Rng rng(1);
  for (size_t n : kLengths) {
    auto x = random_vector<T>(n, rng, -8, 8);
    std::vector<T> a(n), b(n), slope_a(n), slope_b(n);
    simd::gelu_forward(a.data(), slope_a.data(), x.data(), n);
    scalar::gelu_forward(b.data(), slope_b.data(), x.data(), n);
    expect_close(a, b, kTol<T>, kTol<T>, "gelu_forward", n);
    expect_close(slope_a, slope_b, kTol<T>, kTol<T>, "gelu_forward slope", n);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_NEAR(double(b[i]), double(scalar::gelu(x[i])), kTol<T> * 4);
      ASSERT_NEAR(double(slope_b[i]), double(scalar::gelu_derivative(x[i])), kTol<T> * 4);
    }

    // With a residual: out = residual + gelu(x), the same cache.
    auto residual = random_vector<T>(n, rng, -1, 1);
    std::vector<T> ra(n), rb(n), rslope(n);
    simd::gelu_forward(ra.data(), rslope.data(), x.data(), n, residual.data());
    scalar::gelu_forward(rb.data(), rslope.data(), x.data(), n, residual.data());
    expect_close(ra, rb, kTol<T>, kTol<T>, "gelu_forward residual", n);
    for (size_t i = 0; i < n; ++i)
      ASSERT_NEAR(double(ra[i]), double(residual[i]) + double(scalar::gelu(x[i])), kTol<T> * 4);
  }
}

// The float kernel's own normal CDF (one polynomial and one exp, no erf, no
// division) against double erf/exp over every float in [-10, 10] at a
// stride, and far past the clamp: GELU and its slope within 1.5e-7 of exact
// (2.5 float roundings of values near 1), and down to x = -4 (Phi = 3e-5)
// the lower tail within 5e-4 of its size (1 + erf there lost it all).
TEST(Kernels, GeluFloatKernelAgainstDoubleErf) {
  constexpr size_t W = xsimd::batch<float>::size;
  std::vector<float> x;
  for (float v = -10.0f; v <= 10.0f; v = std::nextafter(v, 11.0f) + 3.7e-5f * std::fabs(v) + 1e-6f)
    x.push_back(v);
  for (float v : {-1e4f, -40.0f, -12.0f, 12.0f, 40.0f, 1e4f, 0.0f, -0.0f}) x.push_back(v);
  while (x.size() % W) x.push_back(0.5f);
  std::vector<float> out(x.size()), slope(x.size());
  simd::gelu_forward(out.data(), slope.data(), x.data(), x.size());
  double worst_out = 0, worst_slope = 0, worst_tail = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double v = std::clamp(double(x[i]), -kGeluClamp, kGeluClamp);
    const double cdf = 0.5 * std::erfc(-v / std::sqrt(2.0));
    const double pdf = std::exp(-0.5 * v * v) / std::sqrt(2 * M_PI);
    const double scale = std::max(1.0, std::fabs(double(x[i])));  // out = x * cdf
    worst_out = std::max(worst_out, std::fabs(double(out[i]) - double(x[i]) * cdf) / scale);
    worst_slope = std::max(worst_slope, std::fabs(double(slope[i]) - (cdf + double(x[i]) * pdf)) / scale);
    if (x[i] < -1 && x[i] >= -4.0f)  // Phi's lower tail keeps its relative precision
      worst_tail = std::max(worst_tail, std::fabs(double(out[i]) / double(x[i]) - cdf) / cdf);
  }
  EXPECT_LT(worst_out, 1.5e-7);
  EXPECT_LT(worst_slope, 1.5e-7);
  EXPECT_LT(worst_tail, 5e-4);
  std::printf("[ float GELU ] %zu inputs: worst |out| error %.2e, slope %.2e, lower-tail relative %.2e\n",
              x.size(), worst_out, worst_slope, worst_tail);
}

TYPED_TEST(Kernels, GeluBackwardAccumulates) {
  using T = TypeParam;
  Rng rng(2);
  for (size_t n : kLengths) {
    auto x = random_vector<T>(n, rng, -8, 8);
    auto dout = random_vector<T>(n, rng, -1, 1);
    auto start = random_vector<T>(n, rng, -1, 1);  // backward must add to this
    std::vector<T> y(n), slope(n);
    scalar::gelu_forward(y.data(), slope.data(), x.data(), n);
    std::vector<T> a = start, b = start;
    simd::gelu_backward(a.data(), slope.data(), dout.data(), n);
    scalar::gelu_backward(b.data(), slope.data(), dout.data(), n);
    expect_close(a, b, kTol<T>, kTol<T>, "gelu_backward", n);
    for (size_t i = 0; i < n; ++i)  // the cached path equals the closed form
      ASSERT_NEAR(double(b[i]), double(start[i] + dout[i] * scalar::gelu_derivative(x[i])), kTol<T> * 4);

    // accumulate = false writes the gradient over whatever was there.
    std::vector<T> c(n, std::numeric_limits<T>::quiet_NaN()), d(n, std::numeric_limits<T>::quiet_NaN());
    simd::gelu_backward(c.data(), slope.data(), dout.data(), n, false);
    scalar::gelu_backward(d.data(), slope.data(), dout.data(), n, false);
    expect_close(c, d, kTol<T>, kTol<T>, "gelu_backward overwrite", n);
    for (size_t i = 0; i < n; ++i)
      ASSERT_NEAR(double(c[i]), double(dout[i] * scalar::gelu_derivative(x[i])), kTol<T> * 4);
  }
}

TYPED_TEST(Kernels, GeluDerivativeMatchesFiniteDifference) {
  using T = TypeParam;
  for (double x = -6; x <= 6; x += 0.37) {
    const double h = 1e-6;
    const double numeric = (scalar::gelu(x + h) - scalar::gelu(x - h)) / (2 * h);
    EXPECT_NEAR(scalar::gelu_derivative(x), numeric, 1e-8) << "x=" << x;
  }
  EXPECT_NEAR(double(scalar::gelu(T(1))), 0.8413447460685429, 1e-6);  // x * Phi(x)
}

TYPED_TEST(Kernels, SinusoidalEmbedding) {
  using T = TypeParam;
  Rng rng(3);
  for (int size : {4, 6, 16, 18, 34, 128}) {
    for (size_t n : {1, 7, 16, 33}) {
      const auto freqs = sinusoidal_frequencies<T>(size);
      const size_t half = size_t(size / 2), ld = n + 3;  // padding must survive
      auto values = random_vector<T>(n, rng, -4, 4);
      std::vector<T> a(size_t(size) * ld, T(7)), b(size_t(size) * ld, T(7));
      simd::sinusoidal_embedding(a.data(), ld, values.data(), n, freqs.data(), half, T(25));
      scalar::sinusoidal_embedding(b.data(), ld, values.data(), n, freqs.data(), half, T(25));
      expect_close(a, b, 0, std::is_same_v<T, float> ? 1e-6 : 1e-12, "sinusoidal", size_t(size) * 100 + n);
    }
  }
}

TYPED_TEST(Kernels, SumSquares) {
  using T = TypeParam;
  Rng rng(4);
  for (size_t n : kLengths) {
    auto x = random_vector<T>(n, rng, -3, 3);
    const double a = simd::sum_squares(x.data(), n), b = scalar::sum_squares(x.data(), n);
    EXPECT_NEAR(a, b, 1e-6 * b + 1e-12) << "n=" << n;
  }
  // A long float sum stays accurate (blocked accumulation).
  std::vector<T> ones(1'000'003, T(1));
  EXPECT_DOUBLE_EQ(simd::sum_squares(ones.data(), ones.size()), 1'000'003.0);
}

TYPED_TEST(Kernels, AddRowSums) {
  using T = TypeParam;
  Rng rng(12);
  for (size_t cols : kLengths) {
    auto x = random_vector<T>(5 * cols, rng, -1, 1);
    auto a = random_vector<T>(5, rng, -1, 1);  // added to
    auto b = a;
    const auto start = a;
    simd::add_row_sums(a.data(), x.data(), 5, cols);
    scalar::add_row_sums(b.data(), x.data(), 5, cols);
    // Both against an exact (double) sum, within a float summation bound:
    // the two kernels add in different orders.
    for (size_t r = 0; r < 5; ++r) {
      double exact = double(start[r]), magnitude = std::fabs(double(start[r]));
      for (size_t c = 0; c < cols; ++c) {
        exact += double(x[r * cols + c]);
        magnitude += std::fabs(double(x[r * cols + c]));
      }
      const double tol = (std::is_same_v<T, float> ? 2e-7 : 1e-15) * magnitude + 1e-12;
      EXPECT_NEAR(double(a[r]), exact, tol) << "simd, cols=" << cols;
      EXPECT_NEAR(double(b[r]), exact, tol) << "scalar, cols=" << cols;
    }
  }
}

TYPED_TEST(Kernels, AdamWUpdate) {
  using T = TypeParam;
  Rng rng(6);
  for (size_t n : kLengths) {
    for (T grad_scale : {T(1), T(0.37)}) {
      auto p1 = random_vector<T>(n, rng, -1, 1);
      auto m1 = random_vector<T>(n, rng, -0.1, 0.1);
      auto v1 = random_vector<T>(n, rng, 0, 0.01);
      auto g = random_vector<T>(n, rng, -1, 1);
      auto p2 = p1, m2 = m1, v2 = v1;
      for (long step = 1; step <= 3; ++step) {
        simd::adamw_update(p1.data(), m1.data(), v1.data(), g.data(), n, grad_scale, 1e-3, 0.9,
                           0.999, 1e-8, 0.01, step);
        scalar::adamw_update(p2.data(), m2.data(), v2.data(), g.data(), n, grad_scale, 1e-3, 0.9,
                             0.999, 1e-8, 0.01, step);
      }
      expect_close(p1, p2, kTol<T>, kTol<T> * 1e-2, "adamw params", n);
      expect_close(m1, m2, kTol<T>, kTol<T> * 1e-2, "adamw m", n);
      expect_close(v1, v2, kTol<T>, kTol<T> * 1e-2, "adamw v", n);
    }
  }
}

// Clipping folded into AdamW is the same float multiply PyTorch's in-place
// clip_grad_norm_ does first: identical bits to scaling, then updating.
TEST(Kernels, AdamWGradScaleEqualsScalingTheGradientsFirst) {
  Rng rng(11);
  const size_t n = 1000;
  auto p1 = random_vector<float>(n, rng, -1, 1);
  auto m1 = random_vector<float>(n, rng, -0.1, 0.1);
  auto v1 = random_vector<float>(n, rng, 0, 0.01);
  auto g = random_vector<float>(n, rng, -3, 3);
  auto p2 = p1, m2 = m1, v2 = v1, scaled = g;
  const float clip = 0.2345f;
  for (float& x : scaled) x *= clip;  // clip_grad_norm_'s in-place multiply
  simd::adamw_update(p1.data(), m1.data(), v1.data(), g.data(), n, clip, 1e-3, 0.9, 0.999, 1e-8, 0.01, 4);
  simd::adamw_update(p2.data(), m2.data(), v2.data(), scaled.data(), n, 1.0f, 1e-3, 0.9, 0.999, 1e-8,
                     0.01, 4);
  EXPECT_EQ(p1, p2);
  EXPECT_EQ(m1, m2);
  EXPECT_EQ(v1, v2);
}

TYPED_TEST(Kernels, EmaUpdate) {
  using T = TypeParam;
  Rng rng(7);
  for (size_t n : kLengths) {
    auto a1 = random_vector<T>(n, rng, -1, 1);
    auto p = random_vector<T>(n, rng, -1, 1);
    auto a2 = a1;
    simd::ema_update(a1.data(), p.data(), n, T(0.9));
    scalar::ema_update(a2.data(), p.data(), n, T(0.9));
    expect_close(a1, a2, kTol<T>, kTol<T> * 1e-2, "ema", n);
  }
}

TEST(Kernels, EmaUpdateMovesTheShareOneMinusDecay) {
  std::vector<float> average{0.0f, 1.0f}, params{1.0f, 1.0f};
  scalar::ema_update(average.data(), params.data(), 2, 0.75f);
  EXPECT_FLOAT_EQ(average[0], 0.25f);
  EXPECT_FLOAT_EQ(average[1], 1.0f);
}

TEST(Kernels, AdamWFirstStepMovesByLearningRate) {
  // With m = v = 0, step 1 moves each weight by lr * sign(g) (after decay).
  std::vector<float> p{1.0f, -1.0f}, m(2, 0.0f), v(2, 0.0f), g{0.5f, -2.0f};
  scalar::adamw_update(p.data(), m.data(), v.data(), g.data(), 2, 1.0f, 1e-3, 0.9, 0.999, 1e-8, 0.01, 1);
  EXPECT_NEAR(p[0], 1.0f * (1 - 1e-5) - 1e-3, 1e-7);
  EXPECT_NEAR(p[1], -1.0f * (1 - 1e-5) + 1e-3, 1e-7);
}

}  // namespace
}  // namespace tinydiff

namespace tinydiff {
namespace {

// The GEMM kernel in all three of its uses (plain, transposed-A via strides)
// and on shapes that leave row and column remainders (every register block:
// 6, 4, 2 and 1 rows; panels of 4, 2 and 1 vectors; scalar columns).
TYPED_TEST(Kernels, GemmAccumulateMatchesScalar) {
  using T = TypeParam;
  Rng rng(7);
  const size_t shapes[][3] = {{1, 1, 1},  {3, 5, 7},    {4, 16, 8},   {5, 17, 3},  {32, 128, 384},
                              {32, 128, 128}, {2, 128, 32}, {33, 2, 128}, {7, 70, 9}, {64, 64, 1},
                              {13, 40, 5}, {11, 48, 33}};
  for (const auto& shape : shapes) {
    const size_t M = shape[0], N = shape[1], K = shape[2];
    for (bool transposed_a : {false, true}) {
      auto a = random_vector<T>(M * K, rng, -1, 1);
      auto b = random_vector<T>(K * (N + 3), rng, -1, 1);  // ldb = N + 3
      auto c0 = random_vector<T>(M * (N + 1), rng, -1, 1);  // ldc = N + 1, accumulated into
      const size_t a_row = transposed_a ? 1 : K, a_col = transposed_a ? M : 1;
      auto c1 = c0, c2 = c0;
      double c1_squares = 0;  // of the M x N results, not the padding column
      simd::gemm_accumulate(c1.data(), N + 1, a.data(), a_row, a_col, b.data(), N + 3, M, N, K,
                            &c1_squares);
      scalar::gemm_accumulate(c2.data(), N + 1, a.data(), a_row, a_col, b.data(), N + 3, M, N, K);
      // Same order of summation; FMA vs mul+add differ by rounding only.
      const double tol = std::is_same_v<T, float> ? 1e-5 * std::sqrt(double(K)) : 1e-12;
      expect_close(c1, c2, 0, tol, "gemm", M * 10000 + N * 100 + K);
      auto squares_of = [&](const std::vector<T>& c) {
        double sum = 0;
        for (size_t m = 0; m < M; ++m)
          for (size_t n = 0; n < N; ++n) sum += double(c[m * (N + 1) + n]) * double(c[m * (N + 1) + n]);
        return sum;
      };
      const double squares_tol = std::is_same_v<T, float> ? 1e-6 : 1e-13;
      EXPECT_NEAR(c1_squares, squares_of(c1), squares_tol * squares_of(c1)) << "gemm_accumulate squares";

      // gemm_assign: C = A B, C never read (NaN in it must not leak), the
      // padding columns of C (ldc = N + 1) untouched; bit-identical to
      // accumulating into zeros.
      std::vector<T> c3(c0.size(), std::numeric_limits<T>::quiet_NaN()), c4 = c3, zeros(c0.size(), T(0));
      for (size_t m = 0; m < M; ++m) c3[m * (N + 1) + N] = c4[m * (N + 1) + N] = T(7);
      double c3_squares = 0, c4_squares = 0;
      simd::gemm_assign(c3.data(), N + 1, a.data(), a_row, a_col, b.data(), N + 3, M, N, K, &c3_squares);
      scalar::gemm_assign(c4.data(), N + 1, a.data(), a_row, a_col, b.data(), N + 3, M, N, K, &c4_squares);
      EXPECT_NEAR(c3_squares, squares_of(c3), squares_tol * squares_of(c3)) << "gemm_assign squares";
      EXPECT_NEAR(c4_squares, squares_of(c4), squares_tol * squares_of(c4)) << "scalar gemm_assign squares";
      simd::gemm_accumulate(zeros.data(), N + 1, a.data(), a_row, a_col, b.data(), N + 3, M, N, K);
      for (size_t m = 0; m < M; ++m) {
        ASSERT_EQ(c3[m * (N + 1) + N], T(7));
        for (size_t n = 0; n < N; ++n) {
          const size_t i = m * (N + 1) + n;
          ASSERT_EQ(c3[i], zeros[i]) << "gemm_assign vs accumulate into zeros at " << m << "," << n;
          ASSERT_NEAR(double(c3[i]), double(c4[i]), tol) << "gemm_assign vs scalar at " << m << "," << n;
        }
      }
    }
  }
}

TYPED_TEST(Kernels, TransposeAndDotRows) {
  using T = TypeParam;
  Rng rng(8);
  // Whole register tiles (4 or 16), tiles with edges on either side, and
  // shapes smaller than a tile.
  for (auto [M, N] : {std::pair<size_t, size_t>{1, 1}, {3, 17}, {128, 384}, {9, 8}, {32, 384},
                      {32, 128}, {16, 16}, {33, 50}, {20, 16}, {16, 37}, {4, 4}, {5, 31}}) {
    auto in = random_vector<T>(M * N, rng, -1, 1);
    std::vector<T> a(M * N), b(M * N);
    simd::transpose(a.data(), in.data(), M, N);
    scalar::transpose(b.data(), in.data(), M, N);
    EXPECT_EQ(a, b);
  }
  for (size_t n : kLengths) {
    if (n == 0) continue;
    auto x = random_vector<T>(n, rng, -1, 1);
    auto rows = random_vector<T>(3 * (n + 2), rng, -1, 1);
    T out[3];
    simd::dot_rows(out, x.data(), rows.data(), n + 2, 3, n);
    for (size_t i = 0; i < 3; ++i) {
      double want = 0;
      for (size_t k = 0; k < n; ++k) want += double(x[k]) * double(rows[i * (n + 2) + k]);
      EXPECT_NEAR(double(out[i]), want, (std::is_same_v<T, float> ? 1e-5 : 1e-12) * std::sqrt(double(n)));
    }
  }
}

}  // namespace
}  // namespace tinydiff
