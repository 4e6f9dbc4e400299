// 64-byte aligned storage for every buffer the maths touches.
//
// Why: Eigen and xsimd pick their peeling (and so the summation order) from a
// pointer's alignment. With buffers always aligned the same way, the same
// seed gives bit-identical results run after run.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace tinydiff {

template <typename T, size_t Align = 64>
struct AlignedAllocator {
  using value_type = T;
  template <typename U>
  struct rebind {
    using other = AlignedAllocator<U, Align>;
  };
  AlignedAllocator() = default;
  template <typename U>
  AlignedAllocator(const AlignedAllocator<U, Align>&) {}

  T* allocate(size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(Align)));
  }
  void deallocate(T* p, size_t) { ::operator delete(p, std::align_val_t(Align)); }
  template <typename U>
  bool operator==(const AlignedAllocator<U, Align>&) const { return true; }
  template <typename U>
  bool operator!=(const AlignedAllocator<U, Align>&) const { return false; }
};

template <typename T>
using AlignedVector = std::vector<T, AlignedAllocator<T>>;

}  // namespace tinydiff
