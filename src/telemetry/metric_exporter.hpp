// The exporter interface the periodic reader talks to; OTLP/gRPC, console and test fakes implement
// it.
//
// Threading: export_async() is called on the io thread and must return without blocking (no
// network I/O, no encoding of large payloads inline). `done` is invoked exactly once, on any
// thread; the reader posts the outcome back to the io thread itself.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "telemetry/metric_data.hpp"

namespace latencylab::telemetry {

enum class TemporalityPreference { cumulative, delta, lowmemory };

struct ExportResult {
  bool ok = false;
  std::string error;  // empty when ok; a one-line reason otherwise (for the state-change log)
};

class MetricExporter {
 public:
  using Completion = std::function<void(ExportResult)>;

  virtual ~MetricExporter() = default;

  virtual void export_async(std::shared_ptr<const MetricsSnapshot> snapshot, Completion done) = 0;

  // What the exporter asks for (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE); the SDK maps
  // it to a Temporality per instrument kind as the OpenTelemetry spec defines.
  [[nodiscard]] virtual TemporalityPreference temporality_preference() const = 0;

  // Cancels anything in flight; blocks at most `timeout_ms`. Called once, at shutdown, after the
  // final export completed or timed out. Once it returns, no completion is invoked any more: one
  // whose export is still running is destroyed unused, because the caller may destroy what it
  // references (the reader's io_context) right after. Exporter threads are joined when the
  // exporter is destroyed (ExportWorker, export_worker.hpp).
  virtual void shutdown(long timeout_ms) = 0;
};

}  // namespace latencylab::telemetry
