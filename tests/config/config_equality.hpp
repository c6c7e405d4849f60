// Field-by-field equality of the described config structs, for tests only (the product never
// compares configs), plus a readable form for failure messages.
//
//   EXPECT_TRUE(loaded == expected) << as_text(loaded);
#pragma once

#include <boost/describe/operators.hpp>
#include <string>

#include "config/config_loader.hpp"
#include "core/json_writer.hpp"

namespace latencylab::sim {
using boost::describe::operators::operator==;
}  // namespace latencylab::sim

namespace latencylab::config {
using boost::describe::operators::operator==;

inline std::string as_text(const Config& config) {
  return core::json::serialize(to_json(config));
}
}  // namespace latencylab::config
