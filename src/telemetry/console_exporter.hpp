// OTEL_METRICS_EXPORTER=console: one JSON line per export (snapshot_json.hpp) on stdout.
//
// export_async() only queues the snapshot; a worker thread serialises it with Boost.JSON, writes
// the line and reports completion, so a slow stdout consumer never blocks the io thread.
//
// Threading: export_async() and shutdown() from any one thread (the io thread); the completion runs
// on the worker thread (the reader posts it back).
//
//   ConsoleMetricExporter exporter(settings.temporality_preference);
//   PeriodicReader reader(io, meter, exporter, {...});
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "telemetry/metric_exporter.hpp"

namespace latencylab::telemetry {

class ConsoleMetricExporter final : public MetricExporter {
 public:
  // Receives each complete line (newline included); returns false when the write failed.
  using LineWriter = std::function<bool(std::string_view line)>;

  // The default writer writes to file descriptor 1.
  explicit ConsoleMetricExporter(TemporalityPreference preference, LineWriter writer = {});
  ~ConsoleMetricExporter() override;
  ConsoleMetricExporter(const ConsoleMetricExporter&) = delete;
  ConsoleMetricExporter& operator=(const ConsoleMetricExporter&) = delete;

  void export_async(std::shared_ptr<const MetricsSnapshot> snapshot, Completion done) override;
  [[nodiscard]] TemporalityPreference temporality_preference() const override {
    return preference_;
  }
  // Waits up to `timeout_ms` for queued lines to be written, then stops the worker; exports still
  // queued complete with an error. A worker stuck in write(2) past the timeout is detached.
  void shutdown(long timeout_ms) override;

 private:
  struct Worker;

  TemporalityPreference preference_;
  std::shared_ptr<Worker> worker_;
};

}  // namespace latencylab::telemetry
