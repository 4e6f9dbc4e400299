// A pointer and a length: how the API lends out a buffer it owns (the
// weights, the gradients) without naming the aligned container inside.
// std::span arrives with C++20; the core is C++17.
#pragma once

#include <cstddef>
#include <type_traits>
#include <vector>

namespace tinydiff {

template <typename T>
class Span {
 public:
  Span() = default;
  Span(T* data, size_t size) : data_(data), size_(size) {}
  // A Span<float> is also a Span<const float>.
  template <typename U, typename = std::enable_if_t<std::is_same_v<const U, T>>>
  Span(const Span<U>& other) : data_(other.data()), size_(other.size()) {}

  T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* begin() const { return data_; }
  T* end() const { return data_ + size_; }
  T& operator[](size_t i) const { return data_[i]; }
  // A copy that outlives the owner.
  std::vector<std::remove_const_t<T>> to_vector() const { return {data_, data_ + size_}; }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace tinydiff
