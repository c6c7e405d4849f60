// How a metric exporter leaves the io thread: export_async() hands the snapshot to an ExportWorker,
// which runs the exporter's export function on its core::Worker and invokes the completion there.
// The console and OTLP exporters both keep the MetricExporter contract through it:
//
// * At most one snapshot is held: a submit() while an export is queued or running, or after
//   shutdown(), completes at once on the caller's thread with a failed result.
// * The snapshot is released before the completion runs, so the reader may build the next one.
// * shutdown(timeout) refuses new exports, requests a stop through the std::stop_token the export
//   function receives (the OTLP exporter cancels its call or retry wait), and waits for the
//   export to end. If it gives up waiting, the running export's completion is destroyed on the
//   caller's thread and never invoked afterwards: what it touches (the reader's io_context) may be
//   gone once shutdown() returns. The worker thread is joined when the ExportWorker is destroyed.
//
//   ExportWorker worker_{"OTLP", [this](const MetricsSnapshot& snapshot,
//                                       const std::stop_token& stop) {
//     return sender_.send(snapshot, stop);
//   }};
//   worker_.submit(std::move(snapshot), std::move(done));    // in export_async()
//   worker_.shutdown(std::chrono::milliseconds(timeout_ms));  // in shutdown()
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>

#include "core/worker.hpp"
#include "telemetry/metric_exporter.hpp"

namespace latencylab::telemetry {

class ExportWorker {
 public:
  // Runs on the worker thread, one call at a time; `stop` is requested by shutdown().
  using ExportFunction =
      std::function<ExportResult(const MetricsSnapshot& snapshot, const std::stop_token& stop)>;

  // `exporter_name` appears in refusals: "previous OTLP export still in progress".
  ExportWorker(std::string exporter_name, ExportFunction export_function);
  ExportWorker(const ExportWorker&) = delete;
  ExportWorker& operator=(const ExportWorker&) = delete;

  // Any thread; never blocks on the export.
  void submit(std::shared_ptr<const MetricsSnapshot> snapshot, MetricExporter::Completion done);

  // Returns true when the export in progress (if any) ended within `timeout`, and at once on
  // every call after the first.
  bool shutdown(std::chrono::milliseconds timeout);

 private:
  void run(std::shared_ptr<const MetricsSnapshot> snapshot);

  const std::string exporter_name_;
  const ExportFunction export_function_;
  std::stop_source stop_;

  std::mutex mutex_;                       // guards the three fields below
  MetricExporter::Completion completion_;  // of the export held; empty once abandoned
  bool busy_ = false;                      // an export is queued or running
  bool shut_down_ = false;                 // shutdown() was called: submit() refuses
  std::mutex delivery_mutex_;              // held while a completion runs or is abandoned
  core::Worker worker_;                    // last: joined before the state its jobs use goes
};

}  // namespace latencylab::telemetry
