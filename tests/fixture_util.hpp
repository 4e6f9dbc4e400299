// Helpers for the PyTorch reference fixtures (tests/fixtures: PyTorch's
// numbers for schedules, embeddings, a sampler step and the MLP).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tinydiff::testing {

inline nlohmann::ordered_json load_fixture(const std::string& name) {
  const std::string path = std::string(TINYDIFF_FIXTURES_DIR) + "/" + name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("missing fixture " + path);
  return nlohmann::ordered_json::parse(in);
}

template <typename T = float>
std::vector<T> as_vector(const nlohmann::ordered_json& j) {
  std::vector<T> out;
  for (const auto& v : j) out.push_back(v.get<T>());
  return out;
}

// Elementwise |actual - expected| <= atol + rtol |expected|, where atol is
// relative to the largest |expected| (float32 sums in another order).
template <typename A, typename B>
::testing::AssertionResult all_close(const A* actual, const std::vector<B>& expected,
                                     double rtol = 1e-5, double atol_scale = 1e-5) {
  double largest = 0;
  for (auto e : expected) largest = std::max(largest, std::fabs(double(e)));
  const double atol = atol_scale * largest + 1e-8;
  for (size_t i = 0; i < expected.size(); ++i) {
    const double a = double(actual[i]), e = double(expected[i]);
    if (!(std::fabs(a - e) <= atol + rtol * std::fabs(e))) {
      return ::testing::AssertionFailure()
             << "element " << i << " of " << expected.size() << ": got " << a << ", expected "
             << e << " (tolerance " << atol + rtol * std::fabs(e) << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace tinydiff::testing
