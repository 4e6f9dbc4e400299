// What the native tests share: the message of an error a call must throw.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "tinydiff/config.hpp"

namespace tinydiff::testing {

// The message of the `Error` that `call` throws. A call that throws nothing
// is a test failure (and gives ""), so a check of the message cannot pass
// by the call succeeding.
template <typename Error = ConfigError, typename Call>
std::string error_of(Call&& call) {
  try {
    std::forward<Call>(call)();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an error, but the call succeeded";
  return "";
}

// Whether `text` contains `part`, for EXPECT_TRUE with a readable failure.
inline ::testing::AssertionResult contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

}  // namespace tinydiff::testing
