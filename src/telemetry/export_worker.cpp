#include "telemetry/export_worker.hpp"

#include <utility>

namespace latencylab::telemetry {

ExportWorker::ExportWorker(std::string exporter_name, ExportFunction export_function)
    : exporter_name_(std::move(exporter_name)), export_function_(std::move(export_function)) {}

void ExportWorker::submit(std::shared_ptr<const MetricsSnapshot> snapshot,
                          MetricExporter::Completion done) {
  std::unique_lock lock(mutex_);
  if (!shut_down_ && !busy_) {
    busy_ = true;
    completion_ = std::move(done);
    // Posted under the lock, so a shutdown() that follows waits for this job too.
    worker_.try_post(
        [this, snapshot = std::move(snapshot)]() mutable { run(std::move(snapshot)); });
    return;
  }
  const std::string refusal = shut_down_
                                  ? exporter_name_ + " exporter is shut down"
                                  : "previous " + exporter_name_ + " export still in progress";
  lock.unlock();
  done(ExportResult{false, refusal});
}

void ExportWorker::run(std::shared_ptr<const MetricsSnapshot> snapshot) {
  ExportResult result = export_function_(*snapshot, stop_.get_token());
  snapshot.reset();  // before the completion, so the reader may already build the next one
  // Held until `done` is destroyed, so shutdown() cannot return while a completion still runs.
  std::lock_guard delivering(delivery_mutex_);
  MetricExporter::Completion done;
  {
    std::lock_guard lock(mutex_);
    busy_ = false;
    done = std::exchange(completion_, nullptr);
  }
  // Invoked without mutex_: a completion may submit the next export.
  if (done) done(std::move(result));
}

bool ExportWorker::shutdown(std::chrono::milliseconds timeout) {
  {
    std::lock_guard lock(mutex_);
    if (shut_down_) return true;
    shut_down_ = true;
  }
  // Unlocked: a stop callback (the OTLP call's TryCancel) may complete the export inline.
  stop_.request_stop();
  if (worker_.wait_idle_for(timeout)) return true;
  std::lock_guard delivering(delivery_mutex_);  // a completion running now returns first
  MetricExporter::Completion abandoned;
  std::lock_guard lock(mutex_);
  abandoned = std::exchange(completion_, nullptr);
  return false;
}

}  // namespace latencylab::telemetry
