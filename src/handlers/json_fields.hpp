// Typed field access for request bodies, with errors that name the field path and the rule.
// Shared by every validator so the wording of errors is the same everywhere.
//
//   auto user_id = required_string(body, "user_id", "user_id");
//   if (!user_id) return user_id.error();  // Problem{"user_id", "user_id is required"}
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string_view>

#include "core/result.hpp"

namespace latencylab::handlers {

// A non-empty string of at most `max_length` bytes.
[[nodiscard]] core::Result<std::string_view> required_string(const boost::json::object& object,
                                                             std::string_view key,
                                                             std::string_view path,
                                                             std::size_t max_length = 128);

// An integer (no fraction, no exponent) in [min, max].
[[nodiscard]] core::Result<std::int64_t> required_integer(const boost::json::object& object,
                                                          std::string_view key,
                                                          std::string_view path, std::int64_t min,
                                                          std::int64_t max);

// A finite number in (0, max].
[[nodiscard]] core::Result<double> required_positive_number(const boost::json::object& object,
                                                            std::string_view key,
                                                            std::string_view path, double max);

// The problem of a body without the field at `path`: "<path> is required".
[[nodiscard]] core::Problem missing_field(std::string_view path);

// The problem of a field breaking a rule: "<path> must be <rule>".
[[nodiscard]] core::Problem invalid_field(std::string_view path, std::string_view rule);

}  // namespace latencylab::handlers
