// Settings of the OTLP/gRPC metric exporter and how they are read from OTEL_EXPORTER_OTLP_*.
//
// The variables and defaults are those of the OpenTelemetry SDK specification; each
// OTEL_EXPORTER_OTLP_METRICS_<X> overrides OTEL_EXPORTER_OTLP_<X>, and an empty value counts as
// unset. Bad values throw telemetry::SettingsError naming the variable, like the SDK's own
// settings (this runs once at startup). Values are read with telemetry/otel_env.hpp; the endpoint
// is parsed by Boost.URL. The temporality preference is parsed by the SDK
// (telemetry/sdk_settings.hpp), which stores it here.
//
//   auto env = latencylab::telemetry::process_environment();
//   auto settings = latencylab::telemetry::otlp::otlp_settings_from_env(env);
//   settings.temporality_preference = preference_parsed_by_the_sdk;
//   auto exporter = latencylab::telemetry::otlp::make_otlp_grpc_exporter(settings);
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "telemetry/metric_exporter.hpp"
#include "telemetry/otel_env.hpp"
#include "telemetry/otlp/otlp_retry_policy.hpp"

namespace latencylab::telemetry::otlp {

enum class OtlpCompression { none, gzip };

struct OtlpExporterSettings {
  // The endpoint as configured (for logs) and what it resolves to: the gRPC target "host:port"
  // and whether the channel uses TLS (https://) or plaintext (http://).
  std::string endpoint = "http://localhost:4317";
  std::string target = "localhost:4317";
  bool use_tls = false;
  // PEM file of trusted roots for TLS; empty means the system/gRPC default roots.
  std::string certificate_file;
  // Sent as gRPC metadata on every export; keys lower-case.
  std::vector<std::pair<std::string, std::string>> headers;
  // Bound on one whole export, retries and backoff waits included.
  std::chrono::milliseconds timeout{10000};
  OtlpCompression compression = OtlpCompression::none;
  TemporalityPreference temporality_preference = TemporalityPreference::cumulative;
  OtlpRetryPolicy retry;
};

// Reads OTEL_EXPORTER_OTLP_[METRICS_]{ENDPOINT,INSECURE,CERTIFICATE,HEADERS,TIMEOUT,COMPRESSION}.
// Throws SettingsError, e.g. OTEL_EXPORTER_OTLP_TIMEOUT="10s": expected a positive integer ...
[[nodiscard]] OtlpExporterSettings otlp_settings_from_env(const EnvLookup& env);

}  // namespace latencylab::telemetry::otlp
