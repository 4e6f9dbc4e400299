/* tinydiff: Emscripten 3.1.6's SSE2 header converts floats to int32
 * (_mm_cvtps_epi32, _mm_cvttps_epi32) one lane at a time through lrint, a
 * libc call per lane. xsimd's exp, sin and cos use these conversions in their
 * range reduction, so the GELU and the sinusoidal embedding ran 2-3x slower
 * in wasm than in a native SSE build (docs/performance.md, "Kernels for AVX2
 * and for wasm"). These replacements use wasm SIMD's saturating
 * conversion and give the SSE results for every input: a NaN or a value
 * outside the int32 range becomes INT32_MIN, as on x86. */
#ifndef TINYDIFF_EMMINTRIN_SHIM_H
#define TINYDIFF_EMMINTRIN_SHIM_H

#include_next <emmintrin.h>
#include <wasm_simd128.h>

/* x86's "integer indefinite" wherever the float (after rounding) is not
 * within [-2^31, 2^31): NaN fails the comparison too. */
static __inline__ __m128i __attribute__((__always_inline__, __nodebug__))
tinydiff_cvt_or_indefinite(v128_t integral) {
  const v128_t in_range = wasm_f32x4_lt(wasm_f32x4_abs(integral), wasm_f32x4_splat(2147483648.0f));
  const v128_t converted = wasm_i32x4_trunc_sat_f32x4(integral);
  return (__m128i)wasm_v128_bitselect(converted, wasm_i32x4_splat((int)0x80000000), in_range);
}

/* Round to nearest, ties to even (the default rounding, which wasm always uses). */
static __inline__ __m128i __attribute__((__always_inline__, __nodebug__))
tinydiff_mm_cvtps_epi32(__m128 a) {
  return tinydiff_cvt_or_indefinite(wasm_f32x4_nearest((v128_t)a));
}

/* Truncate toward zero. */
static __inline__ __m128i __attribute__((__always_inline__, __nodebug__))
tinydiff_mm_cvttps_epi32(__m128 a) {
  return tinydiff_cvt_or_indefinite(wasm_f32x4_trunc((v128_t)a));
}

#define _mm_cvtps_epi32 tinydiff_mm_cvtps_epi32
#define _mm_cvttps_epi32 tinydiff_mm_cvttps_epi32

#endif
