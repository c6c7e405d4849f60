// Turns the OTEL_* environment into the service's telemetry: the meter's resource and temporality,
// the exporter (OTLP/gRPC, console or none) and the reader's interval and timeout, exactly as the
// official SDKs read those variables.
//
//   TelemetrySetup telemetry = telemetry_from_env(getenv_fn);   // throws on invalid values
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "telemetry/meter.hpp"
#include "telemetry/metric_exporter.hpp"
#include "telemetry/periodic_reader.hpp"

namespace latencylab::app {

struct TelemetrySetup {
  telemetry::MeterOptions meter;
  std::unique_ptr<telemetry::MetricExporter> exporter;  // null: nothing is exported
  telemetry::PeriodicReaderOptions reader;
  std::string exporter_name;  // "otlp", "console" or "none", for the startup log
  std::string endpoint;       // OTLP endpoint when exporter_name == "otlp"
};

using Getenv = std::function<const char*(const char*)>;

// Throws std::invalid_argument naming the variable on invalid values.
[[nodiscard]] TelemetrySetup telemetry_from_env(const Getenv& getenv);

}  // namespace latencylab::app
