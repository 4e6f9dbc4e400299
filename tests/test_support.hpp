// What the native tests share: the message of an error a call must throw,
// and a small model configuration.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
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

// A small model (hidden 32, two blocks, embeddings of 16) that trains in
// milliseconds, of this seed, objective and number of classes.
inline DiffusionConfig small_config(uint64_t seed = 1, Objective objective = Objective::Eps, int classes = 0) {
  DiffusionConfig c;
  c.model.hidden_size = 32;
  c.model.hidden_layers = 2;
  c.model.embedding_size = 16;
  c.model.num_classes = classes;
  c.schedule.objective = objective;
  c.train.seed = seed;
  return c;
}

// The same as a flow model that learns fast (learning rate 2e-3): reflow
// and the log-density tests train it in a fraction of a second.
inline DiffusionConfig small_flow_config(uint64_t seed = 1) {
  DiffusionConfig c = small_config(seed, Objective::Flow);
  c.train.learning_rate = 2e-3;
  return c;
}

// Whether `text` contains `part`, for EXPECT_TRUE with a readable failure.
inline ::testing::AssertionResult contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

}  // namespace tinydiff::testing
