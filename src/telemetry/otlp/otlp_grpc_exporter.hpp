// The OTLP/gRPC metric exporter: sends each snapshot to a Collector's MetricsService/Export.
//
// export_async() only hands the snapshot to the exporter's worker thread and returns. The worker
// encodes it, makes the call with the grpc++ callback API and, on a transient failure, waits for
// the retry on its own condition variable (never on a gRPC or caller thread); the whole export,
// retries included, ends by settings.timeout. At most one snapshot is held: a call made while an
// export is still running is refused at once with a failed result. See docs/OTLP.md.
//
//   auto exporter = latencylab::telemetry::otlp::make_otlp_grpc_exporter(
//       latencylab::telemetry::otlp::otlp_settings_from_env(telemetry::process_environment()));
//   exporter->export_async(snapshot, [](latencylab::telemetry::ExportResult r) { ... });
//   exporter->shutdown(2000);
#pragma once

#include <memory>

#include "telemetry/metric_exporter.hpp"
#include "telemetry/otlp/otlp_exporter_settings.hpp"

namespace latencylab::telemetry::otlp {

// Creates the channel (lazily connecting) and starts the worker thread. Throws std::runtime_error
// when settings.certificate_file cannot be read.
[[nodiscard]] std::unique_ptr<MetricExporter> make_otlp_grpc_exporter(
    const OtlpExporterSettings& settings);

}  // namespace latencylab::telemetry::otlp
