// Brackets for the headers that hold SIMD kernels.
//
// GCC 12 reports its own AVX-512 intrinsics' _mm512_undefined_ps()
// placeholders as "used uninitialized" when they inline into our kernels
// (GCC bug 105593, a false positive). The kernels are compiled between
// TINYDIFF_SIMD_KERNELS_BEGIN and TINYDIFF_SIMD_KERNELS_END, which silence
// that one warning there only.
#pragma once

#if defined(__GNUC__) && !defined(__clang__)
#define TINYDIFF_SIMD_KERNELS_BEGIN \
  _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wuninitialized\"")
#define TINYDIFF_SIMD_KERNELS_END _Pragma("GCC diagnostic pop")
#else
#define TINYDIFF_SIMD_KERNELS_BEGIN
#define TINYDIFF_SIMD_KERNELS_END
#endif
