// The OTEL_* environment variables the metrics SDK honours, parsed like the official SDKs do.
//
//   OTEL_SDK_DISABLED                                   true|false (case-insensitive), default
//   false OTEL_METRICS_EXPORTER                               otlp|console|none, default otlp
//   OTEL_METRIC_EXPORT_INTERVAL                         ms, integer > 0, default 60000
//   OTEL_METRIC_EXPORT_TIMEOUT                          ms, integer > 0, default 30000
//   OTEL_SERVICE_NAME                                   wins over service.name below
//   OTEL_RESOURCE_ATTRIBUTES                            key=value,... values percent-decoded
//   OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE   cumulative|delta|lowmemory, default
//   cumulative
//
// An empty variable counts as unset (OTel spec). An invalid value is a startup error:
// load_sdk_settings() throws SettingsError whose message names the variable and the bad value, e.g.
//   OTEL_METRIC_EXPORT_INTERVAL="10s": expected a positive integer number of milliseconds
// (the spec lets SDKs fall back silently; a demo whose interval was ignored would mislead its
// users). The OTLP exporter's own variables (endpoint, headers, ...) are parsed by telemetry/otlp.
//
// The environment is injected so tests are deterministic:
//   SdkSettings s = load_sdk_settings(process_environment());
//   SdkSettings t = load_sdk_settings([](std::string_view) { return std::nullopt; });  // defaults
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "telemetry/metric_exporter.hpp"

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

enum class MetricsExporterKind { otlp, console, none };

struct ResourceAttribute {
  std::string key;
  std::string value;  // percent-decoded

  friend bool operator==(const ResourceAttribute&, const ResourceAttribute&) = default;
};

struct SdkSettings {
  bool disabled = false;
  MetricsExporterKind exporter = MetricsExporterKind::otlp;
  std::chrono::milliseconds export_interval{60000};
  std::chrono::milliseconds export_timeout{30000};
  std::optional<std::string> service_name;
  std::vector<ResourceAttribute> resource_attributes;  // in the order given; later keys win
  TemporalityPreference temporality_preference = TemporalityPreference::cumulative;
};

// Throws SettingsError on the first invalid variable.
[[nodiscard]] SdkSettings load_sdk_settings(const EnvLookup& env);

// The OTEL_RESOURCE_ATTRIBUTES grammar (W3C Baggage without properties): comma-separated
// key=value pairs, whitespace around keys and values trimmed, values percent-decoded. Throws
// SettingsError naming OTEL_RESOURCE_ATTRIBUTES on a pair without '=', an empty key or a bad
// %-escape.
[[nodiscard]] std::vector<ResourceAttribute> parse_resource_attributes(std::string_view text);

}  // namespace latencylab::telemetry
