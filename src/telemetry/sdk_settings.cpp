#include "telemetry/sdk_settings.hpp"

#include <charconv>
#include <cstdlib>

#include "telemetry/temporality.hpp"
#include "telemetry/text.hpp"

namespace latencylab::telemetry {
namespace {

constexpr std::string_view kSdkDisabled = "OTEL_SDK_DISABLED";
constexpr std::string_view kMetricsExporter = "OTEL_METRICS_EXPORTER";
constexpr std::string_view kExportInterval = "OTEL_METRIC_EXPORT_INTERVAL";
constexpr std::string_view kExportTimeout = "OTEL_METRIC_EXPORT_TIMEOUT";
constexpr std::string_view kServiceName = "OTEL_SERVICE_NAME";
constexpr std::string_view kResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES";
constexpr std::string_view kTemporalityPreference =
    "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE";

[[noreturn]] void fail(std::string_view variable, std::string_view value, std::string_view why) {
  throw SettingsError(std::string(variable), std::string(variable) + "=\"" + std::string(value) +
                                                 "\": " + std::string(why));
}

// Empty counts as unset (OTel environment variable spec).
std::optional<std::string> lookup(const EnvLookup& env, std::string_view name) {
  auto value = env(name);
  if (value && trim(*value).empty()) return std::nullopt;
  return value;
}

bool parse_bool(std::string_view variable, std::string_view raw) {
  const auto value = trim(raw);
  if (iequals(value, "true")) return true;
  if (iequals(value, "false")) return false;
  fail(variable, raw, "expected true or false");
}

std::chrono::milliseconds parse_millis(std::string_view variable, std::string_view raw) {
  const auto value = trim(raw);
  long long millis = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), millis);
  if (ec != std::errc{} || end != value.data() + value.size() || millis <= 0) {
    fail(variable, raw, "expected a positive integer number of milliseconds");
  }
  return std::chrono::milliseconds(millis);
}

MetricsExporterKind parse_exporter(std::string_view raw) {
  const auto value = trim(raw);
  if (iequals(value, "otlp")) return MetricsExporterKind::otlp;
  if (iequals(value, "console")) return MetricsExporterKind::console;
  if (iequals(value, "none")) return MetricsExporterKind::none;
  fail(kMetricsExporter, raw, "expected otlp, console or none");
}

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  const char lower = ascii_lower(c);
  if (lower >= 'a' && lower <= 'f') return lower - 'a' + 10;
  return -1;
}

std::string percent_decode(std::string_view whole, std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      out += value[i];
      continue;
    }
    const int high = i + 2 < value.size() ? hex_digit(value[i + 1]) : -1;
    const int low = i + 2 < value.size() ? hex_digit(value[i + 2]) : -1;
    if (high < 0 || low < 0) {
      fail(kResourceAttributes, whole,
           "invalid percent-encoding in value \"" + std::string(value) + "\"");
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

}  // namespace

EnvLookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::vector<ResourceAttribute> parse_resource_attributes(std::string_view text) {
  std::vector<ResourceAttribute> attributes;
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view pair = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (trim(pair).empty()) continue;  // tolerate "a=1,,b=2" and a trailing comma
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos) {
      fail(kResourceAttributes, text, "missing '=' in \"" + std::string(trim(pair)) + "\"");
    }
    const auto key = trim(pair.substr(0, equals));
    if (key.empty())
      fail(kResourceAttributes, text, "empty key in \"" + std::string(trim(pair)) + "\"");
    attributes.push_back(
        ResourceAttribute{std::string(key), percent_decode(text, trim(pair.substr(equals + 1)))});
  }
  return attributes;
}

SdkSettings load_sdk_settings(const EnvLookup& env) {
  SdkSettings settings;
  if (auto v = lookup(env, kSdkDisabled)) settings.disabled = parse_bool(kSdkDisabled, *v);
  if (auto v = lookup(env, kMetricsExporter)) settings.exporter = parse_exporter(*v);
  if (auto v = lookup(env, kExportInterval)) {
    settings.export_interval = parse_millis(kExportInterval, *v);
  }
  if (auto v = lookup(env, kExportTimeout)) {
    settings.export_timeout = parse_millis(kExportTimeout, *v);
  }
  if (auto v = lookup(env, kServiceName)) settings.service_name = std::string(trim(*v));
  if (auto v = lookup(env, kResourceAttributes)) {
    settings.resource_attributes = parse_resource_attributes(*v);
  }
  if (auto v = lookup(env, kTemporalityPreference)) {
    const auto preference = parse_temporality_preference(trim(*v));
    if (!preference) fail(kTemporalityPreference, *v, "expected cumulative, delta or lowmemory");
    settings.temporality_preference = *preference;
  }
  return settings;
}

}  // namespace latencylab::telemetry
