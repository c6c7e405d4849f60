#include "app/telemetry_setup.hpp"

#include "telemetry/console_exporter.hpp"
#include "telemetry/otlp/otlp_exporter_settings.hpp"
#include "telemetry/otlp/otlp_grpc_exporter.hpp"

namespace latencylab::app {

TelemetrySetup telemetry_from_env(const telemetry::EnvLookup& env, std::string_view service_name) {
  const telemetry::SdkSettings sdk = telemetry::load_sdk_settings(env);
  TelemetrySetup setup;
  setup.meter.resource = telemetry::make_resource(sdk, telemetry::current_process_identity(),
                                                  telemetry::sdk_version(), service_name);
  setup.meter.temporality_preference = sdk.temporality_preference;
  setup.reader = {.interval = sdk.export_interval, .timeout = sdk.export_timeout};
  if (sdk.disabled) {
    setup.exporter_name = "disabled";
    setup.http_metrics_enabled = false;
    return setup;
  }
  switch (sdk.exporter) {
    case telemetry::MetricsExporterKind::otlp: {
      auto otlp = telemetry::otlp::otlp_settings_from_env(env);
      otlp.temporality_preference = sdk.temporality_preference;
      setup.exporter = telemetry::otlp::make_otlp_grpc_exporter(otlp);
      setup.exporter_name = "otlp";
      setup.endpoint = otlp.endpoint;
      break;
    }
    case telemetry::MetricsExporterKind::console:
      setup.exporter = std::make_unique<telemetry::ConsoleMetricExporter>(
          sdk.temporality_preference, telemetry::ConsoleFormat::json);
      setup.exporter_name = "console";
      break;
    case telemetry::MetricsExporterKind::summary:
      setup.exporter = std::make_unique<telemetry::ConsoleMetricExporter>(
          sdk.temporality_preference, telemetry::ConsoleFormat::summary);
      setup.exporter_name = "summary";
      break;
    case telemetry::MetricsExporterKind::none:
      setup.exporter_name = "none";
      break;
  }
  return setup;
}

}  // namespace latencylab::app
