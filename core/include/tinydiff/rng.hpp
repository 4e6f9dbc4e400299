// The one random number generator of tinydiff.
//
// xoshiro256** seeded through splitmix64: integer-only state updates, so the
// stream is bit-identical natively and in wasm. Normals use Box-Muller in
// double precision (libm differences stay far below float resolution).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace tinydiff {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) { reseed(seed); }

  void reseed(uint64_t seed) {
    uint64_t x = seed;
    for (auto& word : state_) word = splitmix64(x);
  }

  uint64_t next_u64() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  // Unbiased integer in [0, n) (rejection sampling; n > 0).
  uint64_t below(uint64_t n) {
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      const uint64_t r = next_u64();
      if (r >= threshold) return r % n;
    }
  }

  // n standard normals (pairs from Box-Muller; an odd tail drops its twin).
  template <typename T>
  void fill_normal(T* out, size_t n) {
    for (size_t i = 0; i < n; i += 2) {
      double u1 = uniform();
      const double u2 = uniform();
      if (u1 <= 0.0) u1 = 0x1.0p-53;  // log(0) guard
      const double radius = std::sqrt(-2.0 * std::log(u1));
      const double angle = 6.283185307179586 * u2;
      out[i] = static_cast<T>(radius * std::cos(angle));
      if (i + 1 < n) out[i + 1] = static_cast<T>(radius * std::sin(angle));
    }
  }

  double normal() {
    double z[2];
    fill_normal(z, 2);
    return z[0];
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t splitmix64(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t state_[4];
};

}  // namespace tinydiff
