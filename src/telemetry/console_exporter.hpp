// OTEL_METRICS_EXPORTER=console: one JSON line per export (snapshot_json.hpp) on stdout;
// OTEL_METRICS_EXPORTER=summary: a few human lines per export instead (console_summary.hpp).
//
// export_async() only hands the snapshot to an ExportWorker (export_worker.hpp); its thread
// formats it (JSON or summary), writes the text and reports completion, so a slow stdout consumer
// never blocks the io thread. At most one export is held, as with every exporter.
//
// Threading: export_async() and shutdown() from any one thread (the io thread); the completion runs
// on the worker thread (the reader posts it back).
//
//   ConsoleMetricExporter exporter(settings.temporality_preference, ConsoleFormat::json);
//   PeriodicReader reader(io, meter, exporter, {.interval = 60s, .timeout = 30s});
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "telemetry/console_summary.hpp"
#include "telemetry/export_worker.hpp"
#include "telemetry/metric_exporter.hpp"

namespace latencylab::telemetry {

enum class ConsoleFormat { json, summary };

class ConsoleMetricExporter final : public MetricExporter {
 public:
  // Receives each export's text, complete lines (newlines included); returns false when the write
  // failed.
  using LineWriter = std::function<bool(std::string_view lines)>;

  // The default writer writes to file descriptor 1.
  ConsoleMetricExporter(TemporalityPreference preference, ConsoleFormat format,
                        LineWriter writer = {});
  ~ConsoleMetricExporter() override;
  ConsoleMetricExporter(const ConsoleMetricExporter&) = delete;
  ConsoleMetricExporter& operator=(const ConsoleMetricExporter&) = delete;

  void export_async(std::shared_ptr<const MetricsSnapshot> snapshot, Completion done) override;
  [[nodiscard]] TemporalityPreference temporality_preference() const override {
    return preference_;
  }
  // Waits up to `timeout_ms` for the line being written. A write(2) stuck past the timeout loses
  // its completion; the destructor then waits for that write to return (the thread is joined).
  void shutdown(long timeout_ms) override;

 private:
  TemporalityPreference preference_;
  ConsoleFormat format_;
  ConsoleSummary summary_;  // used on the worker thread only
  LineWriter writer_;       // called on the worker thread only
  ExportWorker worker_;     // after writer_: joined before it goes
};

}  // namespace latencylab::telemetry
