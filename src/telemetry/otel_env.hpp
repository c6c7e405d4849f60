// Reading OTEL_* environment variables: the value grammars of the OpenTelemetry SDK
// configuration spec, shared by every settings file (sdk_settings.cpp, otlp_exporter_settings.cpp).
//
// A variable that is unset or blank counts as unset. The parsers return core::Result; settings
// code turns a Problem into a SettingsError naming the variable with value_of(), since an invalid
// setting stops startup:
//
//   if (auto var = lookup(env, {"OTEL_METRIC_EXPORT_TIMEOUT"})) {
//     timeout = value_of(*var, parse_milliseconds(var->value));
//   }  // throws SettingsError: OTEL_METRIC_EXPORT_TIMEOUT="10s": expected a positive integer ...
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace latencylab::telemetry {

using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Reads the real process environment (getenv).
[[nodiscard]] EnvLookup process_environment();

class SettingsError : public std::runtime_error {
 public:
  SettingsError(std::string variable, const std::string& message)
      : std::runtime_error(message), variable_(std::move(variable)) {}
  [[nodiscard]] const std::string& variable() const noexcept { return variable_; }

 private:
  std::string variable_;
};

// A variable's value together with the name it came from, so errors name the right one.
struct EnvValue {
  std::string name;
  std::string value;
};

// The first of `names` that is set to a non-blank value (signal-specific names before generic).
[[nodiscard]] std::optional<EnvValue> lookup(const EnvLookup& env,
                                             std::initializer_list<std::string_view> names);

// The parsed value, or throws SettingsError: NAME="value": <problem message>.
template <class T>
[[nodiscard]] T value_of(const EnvValue& var, core::Result<T> parsed) {
  if (!parsed) {
    throw SettingsError(var.name, var.name + "=\"" + var.value + "\": " + parsed.error().message);
  }
  return *std::move(parsed);
}

// "true" | "false", case-insensitive, surrounding blanks ignored.
[[nodiscard]] core::Result<bool> parse_bool(std::string_view text);

// A positive integer number of milliseconds (the spec's duration type).
[[nodiscard]] core::Result<std::chrono::milliseconds> parse_milliseconds(std::string_view text);

// One of `choices`, case-insensitive: "expected otlp, console or none" otherwise.
template <class T>
[[nodiscard]] core::Result<T> parse_choice(
    std::string_view text, std::initializer_list<std::pair<std::string_view, T>> choices);

// The members of a comma-separated list, trimmed; empty members are skipped ("a,,b," is a, b).
[[nodiscard]] std::vector<std::string_view> split_list(std::string_view text);

struct KeyValue {
  std::string key;
  std::string value;  // percent-decoded

  friend bool operator==(const KeyValue&, const KeyValue&) = default;
};

// "key1=value1,key2=value2" (W3C Baggage without properties, as OTEL_RESOURCE_ATTRIBUTES and
// OTEL_EXPORTER_OTLP_HEADERS use it): keys and values trimmed, values percent-decoded (Boost.URL).
// A Problem for a member without '=', an empty key or a bad %-escape.
[[nodiscard]] core::Result<std::vector<KeyValue>> parse_key_values(std::string_view text);

// ---- implementation ----

namespace detail {
[[nodiscard]] std::string choice_list(const std::vector<std::string_view>& names);
[[nodiscard]] bool choice_matches(std::string_view text, std::string_view name) noexcept;
}  // namespace detail

template <class T>
core::Result<T> parse_choice(std::string_view text,
                             std::initializer_list<std::pair<std::string_view, T>> choices) {
  std::vector<std::string_view> names;
  for (const auto& [name, value] : choices) {
    if (detail::choice_matches(text, name)) return value;
    names.push_back(name);
  }
  return core::Problem{"", "expected " + detail::choice_list(names)};
}

}  // namespace latencylab::telemetry
