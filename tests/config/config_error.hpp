// The message of the ConfigError an action throws, or "" when it throws none: how the config
// tests assert what a user is told about bad input.
//
//   EXPECT_EQ(config_error([&] { validate(config); }), "");
#pragma once

#include <string>
#include <utility>

#include "config/config_loader.hpp"

namespace latencylab::config {

template <class Action>
std::string config_error(Action&& action) {
  try {
    std::forward<Action>(action)();
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

}  // namespace latencylab::config
