// The OTLP/gRPC metric exporter: sends each snapshot to a Collector's MetricsService/Export.
//
// export_async() only hands the snapshot to the exporter's ExportWorker (export_worker.hpp) and
// returns. Its thread encodes the snapshot, makes the call with the grpc++ callback API and, on a
// transient failure, waits for the retry on the RetryClock (never on a gRPC or caller thread); the
// whole export, retries included, ends by settings.timeout as that clock measures it. At most one
// snapshot is held: a call made while an export is still running is refused at once with a failed
// result. shutdown() cancels the call or the retry wait. See docs/OTLP.md.
//
//   auto exporter = latencylab::telemetry::otlp::make_otlp_grpc_exporter(
//       latencylab::telemetry::otlp::otlp_settings_from_env(telemetry::process_environment()));
//   exporter->export_async(snapshot, [](latencylab::telemetry::ExportResult r) { ... });
//   exporter->shutdown(2000);
#pragma once

#include <memory>

#include "telemetry/metric_exporter.hpp"
#include "telemetry/otlp/otlp_exporter_settings.hpp"
#include "telemetry/otlp/otlp_retry_policy.hpp"

namespace latencylab::telemetry::otlp {

// Creates the channel (lazily connecting) and starts the worker thread. Throws std::runtime_error
// when settings.certificate_file cannot be read. `clock` (tests pass a manual one) must outlive the
// exporter.
[[nodiscard]] std::unique_ptr<MetricExporter> make_otlp_grpc_exporter(
    const OtlpExporterSettings& settings, RetryClock& clock = steady_retry_clock());

}  // namespace latencylab::telemetry::otlp
