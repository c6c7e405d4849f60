#include "handlers/json_fields.hpp"

#include <cmath>
#include <string>

namespace latencylab::handlers {
namespace {

std::string format_number(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

core::Problem missing_field(std::string_view path) {
  return core::Problem{std::string(path), std::string(path) + " is required"};
}

core::Problem invalid_field(std::string_view path, std::string_view rule) {
  return core::Problem{std::string(path), std::string(path) + " must be " + std::string(rule)};
}

core::Result<std::string_view> required_string(const boost::json::object& object,
                                               std::string_view key, std::string_view path,
                                               std::size_t max_length) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) return missing_field(path);
  const boost::json::string* text = value->if_string();
  if (text == nullptr) return invalid_field(path, "a string");
  if (text->empty()) return invalid_field(path, "a non-empty string");
  if (text->size() > max_length) {
    return invalid_field(path, "at most " + std::to_string(max_length) + " characters");
  }
  return std::string_view(*text);
}

core::Result<std::int64_t> required_integer(const boost::json::object& object, std::string_view key,
                                            std::string_view path, std::int64_t min,
                                            std::int64_t max) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) return missing_field(path);
  const std::string rule = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  // Only JSON integers qualify: 2.0 and 1e3 parse as doubles and are rejected. Integers beyond
  // int64 parse as uint64 and are rejected as out of range.
  const std::int64_t* number = value->if_int64();
  if (number == nullptr || *number < min || *number > max) return invalid_field(path, rule);
  return *number;
}

core::Result<double> required_positive_number(const boost::json::object& object,
                                              std::string_view key, std::string_view path,
                                              double max) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) return missing_field(path);
  const std::string rule = "a number greater than 0 and at most " + format_number(max);
  if (!value->is_number()) return invalid_field(path, rule);
  const double number = value->to_number<double>();
  if (!std::isfinite(number) || number <= 0.0 || number > max) return invalid_field(path, rule);
  return number;
}

}  // namespace latencylab::handlers
