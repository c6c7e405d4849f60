// Typed field access for request bodies, with errors that name the field path and the rule.
// Shared by every validator so the wording of errors is the same everywhere.
//
//   auto user_id = required_string(body, "user_id", "user_id");
//   if (auto* error = std::get_if<ValidationError>(&user_id)) return *error;
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string_view>

#include "handlers/validation_error.hpp"

namespace latencylab::handlers {

// A non-empty string of at most `max_length` bytes.
[[nodiscard]] Validated<std::string_view> required_string(const boost::json::object& object,
                                                          std::string_view key,
                                                          std::string_view path,
                                                          std::size_t max_length = 128);

// An integer (no fraction, no exponent) in [min, max].
[[nodiscard]] Validated<std::int64_t> required_integer(const boost::json::object& object,
                                                       std::string_view key, std::string_view path,
                                                       std::int64_t min, std::int64_t max);

// A finite number in (0, max].
[[nodiscard]] Validated<double> required_positive_number(const boost::json::object& object,
                                                         std::string_view key,
                                                         std::string_view path, double max);

[[nodiscard]] ValidationError missing_field(std::string_view path);

}  // namespace latencylab::handlers
