#include "loadgen/duration_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <utility>

#include "core/text.hpp"

namespace latencylab::loadgen {
namespace {

std::optional<double> parse_number(std::string_view text) noexcept {
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

core::Result<Nanos> parse_duration(std::string_view text) {
  const std::string_view given = core::trim(text);
  const auto not_a_duration = [&] {
    return core::Problem{"",
                         "'" + std::string(given) + "' is not a duration (e.g. 500ms, 30s, 2m)"};
  };
  if (given == "0") return Nanos{0};
  // Longest suffixes first so "ms" is not read as "s".
  constexpr std::array<std::pair<std::string_view, double>, 6> kUnits{{
      {"ns", 1.0},
      {"us", 1e3},
      {"ms", 1e6},
      {"s", 1e9},
      {"m", 60e9},
      {"h", 3600e9},
  }};
  for (const auto& [suffix, nanos_per_unit] : kUnits) {
    if (given.size() <= suffix.size() || !given.ends_with(suffix)) continue;
    const auto number = parse_number(given.substr(0, given.size() - suffix.size()));
    if (!number || *number < 0) return not_a_duration();
    const double nanos = *number * nanos_per_unit;
    if (nanos > 1e18) return not_a_duration();  // ~31 years: anything larger is a typo
    return Nanos{static_cast<Nanos::rep>(std::llround(nanos))};
  }
  return not_a_duration();
}

core::Result<std::vector<RateStage>> parse_stages(std::string_view text) {
  std::vector<RateStage> stages;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view item = core::trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    const auto colon = item.find(':');
    if (colon == std::string_view::npos) {
      return core::Problem{"",
                           "stage '" + std::string(item) + "' is not DURATION:RATE (e.g. 30s:100)"};
    }
    const auto duration = parse_duration(item.substr(0, colon));
    const auto rate = parse_number(core::trim(item.substr(colon + 1)));
    if (!duration) {
      return core::Problem{"", "stage '" + std::string(item) + "' has an invalid duration"};
    }
    if (!rate || *rate < 0) {
      return core::Problem{
          "", "stage '" + std::string(item) + "' has an invalid rate (requests per second >= 0)"};
    }
    stages.push_back({*duration, *rate});
  }
  if (stages.empty()) return core::Problem{"", "no stages given"};
  return stages;
}

std::string format_duration(Nanos value) {
  const auto nanos = static_cast<double>(value.count());
  std::array<char, 32> text{};
  if (nanos >= 1e12) {
    std::snprintf(text.data(), text.size(), "%.0fs", nanos / 1e9);
  } else if (nanos >= 1e9) {
    std::snprintf(text.data(), text.size(), "%.3gs", nanos / 1e9);
  } else if (nanos >= 1e6) {
    std::snprintf(text.data(), text.size(), "%.3gms", nanos / 1e6);
  } else if (nanos >= 1e3) {
    std::snprintf(text.data(), text.size(), "%.3gus", nanos / 1e3);
  } else {
    std::snprintf(text.data(), text.size(), "%.0fns", nanos);
  }
  return text.data();
}

}  // namespace latencylab::loadgen
