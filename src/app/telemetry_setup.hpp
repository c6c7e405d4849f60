// Turns the OTEL_* environment into telemetry for serve and load: the meter's resource and
// temporality, the exporter (OTLP/gRPC, console or none) and the reader's interval and timeout,
// exactly as the official SDKs read those variables.
//
//   TelemetrySetup telemetry = telemetry_from_env(telemetry::process_environment());
#pragma once

#include <memory>
#include <string>

#include "telemetry/meter.hpp"
#include "telemetry/metric_exporter.hpp"
#include "telemetry/periodic_reader.hpp"
#include "telemetry/resource.hpp"
#include "telemetry/sdk_settings.hpp"

namespace latencylab::app {

struct TelemetrySetup {
  telemetry::MeterOptions meter;
  std::unique_ptr<telemetry::MetricExporter> exporter;  // null: nothing is exported
  telemetry::PeriodicReaderOptions reader;
  std::string exporter_name;  // "otlp", "console", "none" or "disabled", for the startup log
  std::string endpoint;       // OTLP endpoint when exporter_name == "otlp"
  // false when OTEL_SDK_DISABLED=true: the SDK is a no-op, so the service records no HTTP metrics
  // at all (no request guard, no io-loop lag probe), not merely exports none. This is also the
  // "metrics off" case of the end-to-end overhead benchmark (docs/BENCHMARKS.md).
  bool http_metrics_enabled = true;
};

// Throws telemetry::SettingsError naming the variable on an invalid value. `service_name` is the
// resource's service.name unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES set one.
[[nodiscard]] TelemetrySetup telemetry_from_env(
    const telemetry::EnvLookup& env,
    std::string_view service_name = telemetry::kDefaultServiceName);

}  // namespace latencylab::app
