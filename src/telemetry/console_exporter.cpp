#include "telemetry/console_exporter.hpp"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "core/json_writer.hpp"
#include "telemetry/snapshot_json.hpp"

namespace latencylab::telemetry {
namespace {

bool write_stdout(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(STDOUT_FILENO, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

// Shared between the exporter and its thread, so a detached thread never touches freed memory.
struct ConsoleMetricExporter::Worker {
  struct Job {
    std::shared_ptr<const MetricsSnapshot> snapshot;
    Completion done;
  };

  explicit Worker(LineWriter w) : writer(std::move(w)) {}

  void run() {
    std::unique_lock lock(mutex);
    for (;;) {
      wake.wait(lock, [this] { return stopping || !jobs.empty(); });
      if (stopping) break;
      Job job = std::move(jobs.front());
      jobs.pop_front();
      busy = true;
      lock.unlock();
      std::string line = core::json::serialize(snapshot_to_json(*job.snapshot));
      line += '\n';
      const bool written = writer(line);
      job.done(written ? ExportResult{true, {}} : ExportResult{false, "write to stdout failed"});
      lock.lock();
      busy = false;
      if (jobs.empty()) idle.notify_all();
    }
    // Stopped with work left: those exports are failed, not silently lost.
    std::deque<Job> left = std::move(jobs);
    lock.unlock();
    for (auto& job : left) job.done(ExportResult{false, "console exporter shut down"});
  }

  LineWriter writer;
  std::mutex mutex;  // guards everything below
  std::condition_variable wake;
  std::condition_variable idle;
  std::deque<Job> jobs;
  bool busy = false;
  bool stopping = false;
  bool shut_down = false;
  std::thread thread;
};

ConsoleMetricExporter::ConsoleMetricExporter(TemporalityPreference preference, LineWriter writer)
    : preference_(preference),
      worker_(std::make_shared<Worker>(writer ? std::move(writer) : LineWriter(&write_stdout))) {
  worker_->thread = std::thread([worker = worker_] { worker->run(); });
}

ConsoleMetricExporter::~ConsoleMetricExporter() {
  shutdown(0);
}

void ConsoleMetricExporter::export_async(std::shared_ptr<const MetricsSnapshot> snapshot,
                                         Completion done) {
  {
    std::lock_guard lock(worker_->mutex);
    if (!worker_->shut_down) {
      worker_->jobs.push_back(Worker::Job{std::move(snapshot), std::move(done)});
      worker_->wake.notify_one();
      return;
    }
  }
  done(ExportResult{false, "console exporter shut down"});
}

void ConsoleMetricExporter::shutdown(long timeout_ms) {
  bool drained = false;
  {
    std::unique_lock lock(worker_->mutex);
    if (worker_->shut_down) return;
    worker_->shut_down = true;
    drained = worker_->idle.wait_for(lock, std::chrono::milliseconds(std::max(0L, timeout_ms)),
                                     [this] { return worker_->jobs.empty() && !worker_->busy; });
    worker_->stopping = true;
  }
  worker_->wake.notify_one();
  if (drained) {
    worker_->thread.join();
  } else {
    worker_->thread.detach();  // stuck in write(2): it owns a reference to the shared state
  }
}

}  // namespace latencylab::telemetry
