// The OTEL_* environment variables the metrics SDK honours, parsed like the official SDKs do.
//
//   OTEL_SDK_DISABLED              true|false (case-insensitive), default false
//   OTEL_METRICS_EXPORTER          otlp|console|summary|none, default otlp (summary: ours, the
//                                  console exporter's human lines, telemetry/console_summary.hpp)
//   OTEL_METRIC_EXPORT_INTERVAL    ms, integer > 0, default 60000
//   OTEL_METRIC_EXPORT_TIMEOUT     ms, integer > 0, default 30000
//   OTEL_SERVICE_NAME              wins over service.name below
//   OTEL_RESOURCE_ATTRIBUTES       key=value,... values percent-decoded
//   OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE
//                                  cumulative|delta|lowmemory, default cumulative
//
// An empty variable counts as unset (OTel spec). An invalid value is a startup error:
// load_sdk_settings() throws SettingsError whose message names the variable and the bad value, e.g.
//   OTEL_METRIC_EXPORT_INTERVAL="10s": expected a positive integer number of milliseconds
// (the spec lets SDKs fall back silently; a demo whose interval was ignored would mislead its
// users). The value grammars live in telemetry/otel_env.hpp; the OTLP exporter's own variables
// (endpoint, headers, ...) are read by telemetry/otlp.
//
// The environment is injected so tests are deterministic:
//   SdkSettings s = load_sdk_settings(process_environment());
//   SdkSettings t = load_sdk_settings([](std::string_view) { return std::nullopt; });  // defaults
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "telemetry/metric_exporter.hpp"
#include "telemetry/otel_env.hpp"

namespace latencylab::telemetry {

enum class MetricsExporterKind { otlp, console, summary, none };

using ResourceAttribute = KeyValue;

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

}  // namespace latencylab::telemetry
