/* tinydiff: Emscripten has no MMX, and clang's own mmintrin.h refuses a
 * non-x86 target. With -msse4.2, Eigen includes <mmintrin.h> (through
 * <immintrin.h>) but uses none of it; Emscripten's SSE headers
 * (xmmintrin.h ... nmmintrin.h) provide everything else on wasm SIMD. */
#ifndef TINYDIFF_MMINTRIN_SHIM_H
#define TINYDIFF_MMINTRIN_SHIM_H
#endif
