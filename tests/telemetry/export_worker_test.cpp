#include "telemetry/export_worker.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

namespace latencylab::telemetry {
namespace {

using namespace std::chrono_literals;

// An export function the test drives: each export waits until released or until stopped.
class ControlledExport {
 public:
  ExportWorker::ExportFunction function(bool honours_stop = true) {
    return [this, honours_stop](const MetricsSnapshot&, const std::stop_token& stop) {
      std::unique_lock lock(mutex_);
      ++started_;
      changed_.notify_all();
      if (honours_stop) {
        changed_.wait(lock, stop, [this] { return released_; });
        if (stop.stop_requested() && !released_) return ExportResult{false, "stopped"};
      } else {
        changed_.wait(lock, [this] { return released_; });
      }
      released_ = false;
      return ExportResult{true, {}};
    };
  }

  void wait_started(int count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return started_ >= count; });
  }

  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable_any changed_;
  int started_ = 0;
  bool released_ = false;
};

std::shared_ptr<const MetricsSnapshot> snapshot() {
  return std::make_shared<const MetricsSnapshot>();
}

TEST(ExportWorker, RunsTheExportOffTheCallerAndReleasesTheSnapshotBeforeCompleting) {
  ControlledExport controlled;
  ExportWorker worker("test", controlled.function());
  auto held = snapshot();
  std::weak_ptr<const MetricsSnapshot> watched = held;
  std::promise<bool> snapshot_alive_in_completion;
  std::promise<std::thread::id> completed_on;
  worker.submit(std::move(held), [&](ExportResult result) {
    EXPECT_TRUE(result.ok);
    snapshot_alive_in_completion.set_value(!watched.expired());
    completed_on.set_value(std::this_thread::get_id());
  });
  controlled.release();
  EXPECT_FALSE(snapshot_alive_in_completion.get_future().get());
  EXPECT_NE(completed_on.get_future().get(), std::this_thread::get_id());
}

TEST(ExportWorker, HoldsOneExportAndRefusesASecondUntilTheFirstCompleted) {
  ControlledExport controlled;
  ExportWorker worker("test", controlled.function());
  std::promise<ExportResult> first;
  worker.submit(snapshot(), [&](ExportResult r) { first.set_value(std::move(r)); });

  std::optional<ExportResult> refused;
  worker.submit(snapshot(), [&](ExportResult r) { refused = std::move(r); });
  ASSERT_TRUE(refused.has_value()) << "refused inline, on the caller's thread";
  EXPECT_FALSE(refused->ok);
  EXPECT_EQ(refused->error, "previous test export still in progress");

  controlled.release();
  EXPECT_TRUE(first.get_future().get().ok);
  // Taken again as soon as the first completion runs (the worker is no longer busy by then).
  std::promise<ExportResult> third;
  controlled.release();
  worker.submit(snapshot(), [&](ExportResult r) { third.set_value(std::move(r)); });
  EXPECT_TRUE(third.get_future().get().ok);
}

TEST(ExportWorker, ShutdownStopsTheRunningExportAndDeliversItsResultFirst) {
  ControlledExport controlled;
  ExportWorker worker("test", controlled.function());
  std::optional<ExportResult> result;
  worker.submit(snapshot(), [&](ExportResult r) { result = std::move(r); });
  controlled.wait_started(1);

  EXPECT_TRUE(worker.shutdown(10s));
  ASSERT_TRUE(result.has_value()) << "delivered before shutdown() returned";
  EXPECT_EQ(result->error, "stopped");

  std::optional<ExportResult> after;
  worker.submit(snapshot(), [&](ExportResult r) { after = std::move(r); });
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->error, "test exporter is shut down");
}

TEST(ExportWorker, ShutdownThatTimesOutDropsTheCompletionUninvoked) {
  ControlledExport controlled;
  int calls = 0;
  auto captured = std::make_shared<int>(0);
  std::weak_ptr<int> capture_alive = captured;
  {
    ExportWorker worker("test", controlled.function(/*honours_stop=*/false));
    worker.submit(snapshot(), [&calls, captured = std::move(captured)](ExportResult) { ++calls; });
    controlled.wait_started(1);

    EXPECT_FALSE(worker.shutdown(20ms));
    EXPECT_TRUE(capture_alive.expired()) << "destroyed by shutdown(), on the caller's thread";
    controlled.release();  // the export ends now; the destructor joins the worker thread
  }
  EXPECT_EQ(calls, 0) << "completion invoked after shutdown() gave up on it";
}

}  // namespace
}  // namespace latencylab::telemetry
