# Compiler flags shared by every tinydiff target.
add_library(tinydiff_flags INTERFACE)
add_library(tinydiff::flags ALIAS tinydiff_flags)

if(EMSCRIPTEN)
  # xsimd 8.1 has no wasm architecture: -msse4.2 makes xsimd and Eigen pick
  # their SSE paths, which Emscripten lowers onto wasm SIMD (-msimd128).
  # Native wasm exceptions: core reports bad input by throwing, and JS-based
  # exception emulation would slow every call in the hot loop.
  # Eigen's SSE path holds x86 inline asm (GCC workarounds) that cannot
  # compile for wasm: Eigen stays scalar there, and the matrix products go
  # through tinydiff's own xsimd kernels (core/src/internal/gemm.hpp).
  target_compile_definitions(tinydiff_flags INTERFACE EIGEN_DONT_VECTORIZE)
  target_compile_options(tinydiff_flags INTERFACE -msimd128 -msse4.2 -O3 -fwasm-exceptions)
  target_link_options(tinydiff_flags INTERFACE -fwasm-exceptions)
  target_include_directories(tinydiff_flags SYSTEM BEFORE INTERFACE "${CMAKE_CURRENT_LIST_DIR}/wasm_include")
  if(TINYDIFF_WASM_THREADS)
    # Every object of a threaded module must be built with atomics and shared memory.
    target_compile_options(tinydiff_flags INTERFACE -pthread)
    target_link_options(tinydiff_flags INTERFACE -pthread)
  endif()
elseif(TINYDIFF_PORTABLE)
  # Portable: baseline ISA only (SSE2 on x86-64, NEON on arm64).
else()
  include(CheckCXXCompilerFlag)
  check_cxx_compiler_flag("-march=native" TINYDIFF_HAS_MARCH_NATIVE)
  if(TINYDIFF_HAS_MARCH_NATIVE)
    target_compile_options(tinydiff_flags INTERFACE -march=native)
  endif()
endif()

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(tinydiff_flags INTERFACE -Wall -Wextra)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports its own AVX-512 intrinsics (inside Eigen and xsimd) as
    # maybe-uninitialized; the noise would hide real warnings.
    target_compile_options(tinydiff_flags INTERFACE -Wno-maybe-uninitialized)
  endif()
endif()

if(TINYDIFF_SANITIZE)
  # Every target, the core included: a bad access anywhere stops the tests.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-uninitialized)  # GCC's own AVX-512 headers, as above
  endif()
endif()
