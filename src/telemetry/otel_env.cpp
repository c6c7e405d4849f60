#include "telemetry/otel_env.hpp"

#include <boost/url/pct_string_view.hpp>
#include <charconv>
#include <cstdlib>

#include "core/text.hpp"

namespace latencylab::telemetry {
namespace {

core::Result<std::string> percent_decode_value(std::string_view text) {
  const auto encoded = boost::urls::make_pct_string_view(text);
  if (!encoded) {
    return core::Problem{"", "invalid percent-encoding in value \"" + std::string(text) + "\""};
  }
  return encoded->decode();
}

}  // namespace

EnvLookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::optional<EnvValue> lookup(const EnvLookup& env,
                               std::initializer_list<std::string_view> names) {
  for (const std::string_view name : names) {
    if (std::optional<std::string> value = env(name); value && !core::trim(*value).empty()) {
      return EnvValue{std::string(name), std::move(*value)};
    }
  }
  return std::nullopt;
}

core::Result<bool> parse_bool(std::string_view text) {
  return parse_choice<bool>(text, {{"true", true}, {"false", false}});
}

core::Result<std::chrono::milliseconds> parse_milliseconds(std::string_view text) {
  const std::string_view digits = core::trim(text);
  long long millis = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), millis);
  if (ec != std::errc{} || end != digits.data() + digits.size() || millis <= 0) {
    return core::Problem{"", "expected a positive integer number of milliseconds"};
  }
  return std::chrono::milliseconds(millis);
}

std::vector<std::string_view> split_list(std::string_view text) {
  std::vector<std::string_view> members;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view member = core::trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (!member.empty()) members.push_back(member);
  }
  return members;
}

core::Result<std::vector<KeyValue>> parse_key_values(std::string_view text) {
  std::vector<KeyValue> pairs;
  for (const std::string_view member : split_list(text)) {
    const auto equals = member.find('=');
    if (equals == std::string_view::npos) {
      return core::Problem{"", "missing '=' in \"" + std::string(member) + "\""};
    }
    const std::string_view key = core::trim(member.substr(0, equals));
    if (key.empty()) return core::Problem{"", "empty key in \"" + std::string(member) + "\""};
    auto value = percent_decode_value(core::trim(member.substr(equals + 1)));
    if (!value) return value.error();
    pairs.push_back(KeyValue{std::string(key), *std::move(value)});
  }
  return pairs;
}

namespace detail {

std::string choice_list(const std::vector<std::string_view>& names) {
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) list += i + 1 == names.size() ? " or " : ", ";
    list += names[i];
  }
  return list;
}

bool choice_matches(std::string_view text, std::string_view name) noexcept {
  return core::iequals(core::trim(text), name);
}

}  // namespace detail
}  // namespace latencylab::telemetry
