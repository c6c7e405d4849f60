#include "telemetry/sdk_settings.hpp"

#include "core/text.hpp"
#include "telemetry/temporality.hpp"

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

// The spec makes OTEL_METRICS_EXPORTER a list; this SDK runs one exporter at a time.
core::Result<MetricsExporterKind> parse_exporter(std::string_view text) {
  const auto names = split_list(text);
  if (names.size() != 1)
    return core::Problem{"", "expected one exporter: otlp, console, summary or none"};
  return parse_choice<MetricsExporterKind>(names.front(),
                                           {{"otlp", MetricsExporterKind::otlp},
                                            {"console", MetricsExporterKind::console},
                                            {"summary", MetricsExporterKind::summary},
                                            {"none", MetricsExporterKind::none}});
}

core::Result<TemporalityPreference> parse_temporality(std::string_view text) {
  if (const auto preference = parse_temporality_preference(core::trim(text))) return *preference;
  return core::Problem{"", "expected cumulative, delta or lowmemory"};
}

}  // namespace

SdkSettings load_sdk_settings(const EnvLookup& env) {
  SdkSettings settings;
  if (auto var = lookup(env, {kSdkDisabled})) {
    settings.disabled = value_of(*var, parse_bool(var->value));
  }
  if (auto var = lookup(env, {kMetricsExporter})) {
    settings.exporter = value_of(*var, parse_exporter(var->value));
  }
  if (auto var = lookup(env, {kExportInterval})) {
    settings.export_interval = value_of(*var, parse_milliseconds(var->value));
  }
  if (auto var = lookup(env, {kExportTimeout})) {
    settings.export_timeout = value_of(*var, parse_milliseconds(var->value));
  }
  if (auto var = lookup(env, {kServiceName})) {
    settings.service_name = std::string(core::trim(var->value));
  }
  if (auto var = lookup(env, {kResourceAttributes})) {
    settings.resource_attributes = value_of(*var, parse_key_values(var->value));
  }
  if (auto var = lookup(env, {kTemporalityPreference})) {
    settings.temporality_preference = value_of(*var, parse_temporality(var->value));
  }
  return settings;
}

}  // namespace latencylab::telemetry
