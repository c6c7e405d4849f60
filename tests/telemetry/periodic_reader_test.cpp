#include "telemetry/periodic_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/log.hpp"
#include "snapshot_helpers.hpp"

namespace latencylab::telemetry {
namespace {

using namespace std::chrono_literals;

// Records every export; completes them only when the test says so, always from another thread
// (like the gRPC exporter's completion queue thread).
class FakeExporter final : public MetricExporter {
 public:
  void export_async(std::shared_ptr<const MetricsSnapshot> snapshot, Completion done) override {
    snapshots.push_back(std::move(snapshot));
    pending.push_back(std::move(done));
    if (on_export) on_export();
  }
  [[nodiscard]] TemporalityPreference temporality_preference() const override {
    return TemporalityPreference::cumulative;
  }
  void shutdown(long timeout_ms) override {
    ++shutdown_calls;
    last_shutdown_timeout_ms = timeout_ms;
    // A real exporter cancels what is in flight; its completions then report failure.
    while (!pending.empty()) complete_oldest({false, "cancelled by shutdown"});
  }

  void complete_oldest(ExportResult result) {
    Completion done = std::move(pending.front());
    pending.erase(pending.begin());
    std::thread([done = std::move(done), result]() mutable { done(result); }).join();
  }

  std::vector<std::shared_ptr<const MetricsSnapshot>> snapshots;
  std::vector<Completion> pending;
  std::function<void()> on_export;
  int shutdown_calls = 0;
  long last_shutdown_timeout_ms = -1;
};

// Declaration order matters: the io_context outlives everything that holds its timers.
struct ReaderFixture {
  explicit ReaderFixture(std::chrono::milliseconds interval,
                         std::chrono::milliseconds timeout = 10s)
      : reader(io, meter, exporter, {.interval = interval, .timeout = timeout}) {}

  void at(std::chrono::milliseconds delay, std::function<void()> action) {
    auto timer = std::make_shared<asio::steady_timer>(io, delay);
    timer->async_wait([timer, action = std::move(action)](error_code) { action(); });
  }

  asio::io_context io;
  Meter meter;
  FakeExporter exporter;
  PeriodicReader reader;
};

TEST(PeriodicReader, AtMostOneExportInFlightAndCompletionIsPostedBackToTheIoThread) {
  ReaderFixture f(10ms);
  f.reader.start();
  bool checked = false;
  f.at(100ms, [&] {
    // ~9 ticks have fired but the first export never completed: no second export was started.
    EXPECT_EQ(f.exporter.snapshots.size(), 1u);
    EXPECT_GE(f.reader.ticks_skipped(), 3u);
    EXPECT_TRUE(f.reader.export_in_flight());
    f.exporter.complete_oldest({true, {}});
    // The completion ran on another thread and has returned, yet the reader's state is untouched
    // until the io thread runs the posted continuation.
    EXPECT_TRUE(f.reader.export_in_flight());
    asio::post(f.io, [&] {
      EXPECT_FALSE(f.reader.export_in_flight());
      EXPECT_EQ(f.reader.health(), ExportHealth::State::ok);
      checked = true;
    });
  });
  f.at(160ms, [&] {
    EXPECT_GE(f.exporter.snapshots.size(), 2u) << "exports resume once the first one completed";
    f.io.stop();
  });
  f.io.run();
  EXPECT_TRUE(checked);
}

TEST(PeriodicReader, ExportPastItsTimeoutCountsAsFailedAndALateSuccessAsRecovery) {
  ReaderFixture f(20ms, 30ms);
  f.reader.start();
  f.at(80ms, [&] {
    // The first export (started at 20 ms) outlived its 30 ms timeout; it is still awaited.
    EXPECT_EQ(f.reader.health(), ExportHealth::State::failing);
    EXPECT_TRUE(f.reader.export_in_flight());
    EXPECT_EQ(f.exporter.snapshots.size(), 1u);
    f.exporter.complete_oldest({true, {}});
  });
  f.at(110ms, [&] {
    EXPECT_EQ(f.reader.health(), ExportHealth::State::ok);
    f.io.stop();
  });
  f.io.run();
}

TEST(PeriodicReader, ShutdownRunsAFinalCollectAndExportAndShutsTheExporterDown) {
  ReaderFixture f(1h);  // no periodic export will happen during the test
  auto orders = f.meter.create_counter<std::int64_t>({"orders", "", "{order}"}).bind();
  f.exporter.on_export = [&] { f.exporter.complete_oldest({true, {}}); };
  f.reader.start();

  std::optional<ExportResult> outcome;
  asio::co_spawn(
      f.io,
      [&]() -> awaitable<void> {
        orders.add(3);
        outcome = co_await f.reader.async_shutdown(2s, asio::use_awaitable);
      },
      asio::detached);
  f.io.run();

  ASSERT_TRUE(outcome.has_value());
  EXPECT_TRUE(outcome->ok);
  ASSERT_EQ(f.exporter.snapshots.size(), 1u);
  const auto& sum = testing::sum_of(*f.exporter.snapshots[0], "orders");
  EXPECT_EQ(std::get<std::int64_t>(sum.points.at(0).value), 3);
  EXPECT_EQ(f.exporter.shutdown_calls, 1);
  EXPECT_GT(f.exporter.last_shutdown_timeout_ms, 0);
  EXPECT_LE(f.exporter.last_shutdown_timeout_ms, 2000);
}

TEST(PeriodicReader, ShutdownWaitsForTheExportInFlightBeforeTheFinalOne) {
  ReaderFixture f(10ms);
  f.reader.start();
  std::optional<ExportResult> outcome;
  f.at(30ms, [&] {
    ASSERT_EQ(f.exporter.snapshots.size(), 1u);
    f.reader.async_shutdown(2s, [&](ExportResult r) { outcome = std::move(r); });
  });
  f.at(60ms, [&] {
    EXPECT_EQ(f.exporter.snapshots.size(), 1u) << "no second export while the first is running";
    f.exporter.complete_oldest({true, {}});
  });
  f.at(90ms, [&] {
    EXPECT_EQ(f.exporter.snapshots.size(), 2u) << "the final export followed the completion";
    f.exporter.complete_oldest({false, "collector unavailable"});
  });
  f.io.run();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_FALSE(outcome->ok);
  EXPECT_EQ(outcome->error, "collector unavailable");
  EXPECT_EQ(f.exporter.shutdown_calls, 1);
}

TEST(PeriodicReader, ShutdownIsBoundedByItsDeadline) {
  ReaderFixture f(1h);
  f.reader.start();
  std::optional<ExportResult> outcome;
  f.reader.async_shutdown(50ms, [&](ExportResult r) { outcome = std::move(r); });
  f.io.run();  // the exporter never completes on its own
  ASSERT_TRUE(outcome.has_value());
  EXPECT_FALSE(outcome->ok);
  EXPECT_EQ(outcome->error, "final export did not complete before the deadline");
  EXPECT_EQ(f.exporter.shutdown_calls, 1);
}

TEST(PeriodicReader, DeadlineWhileWaitingForAnEarlierExportStartsNoExportAfterShutdown) {
  ReaderFixture f(10ms);
  f.reader.start();
  std::optional<ExportResult> outcome;
  f.at(30ms, [&] {
    ASSERT_EQ(f.exporter.snapshots.size(), 1u);  // in flight, never completed by the test
    f.reader.async_shutdown(30ms, [&](ExportResult r) { outcome = std::move(r); });
  });
  f.io.run();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->error, "final export did not complete before the deadline");
  EXPECT_EQ(f.exporter.shutdown_calls, 1);
  // exporter.shutdown() cancelled the first export; its completion must not start the final one.
  EXPECT_EQ(f.exporter.snapshots.size(), 1u);
}

// Redirects fd 2 (where core/log writes) to a file for the lifetime of the object.
class StderrCapture {
 public:
  StderrCapture() : file_(std::tmpfile()), saved_(::dup(STDERR_FILENO)) {
    core::log::flush();
    ::dup2(::fileno(file_), STDERR_FILENO);
  }
  ~StderrCapture() {
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    std::fclose(file_);
  }
  std::string text() {
    core::log::flush();
    std::fflush(file_);
    std::rewind(file_);
    std::string out;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, file_)) out.append(buffer, n);
    return out;
  }

 private:
  std::FILE* file_;
  int saved_;
};

std::size_t count(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

TEST(PeriodicReader, LogsOncePerHealthStateChangeNotEveryInterval) {
  StderrCapture stderr_capture;
  ReaderFixture f(5ms);
  const std::vector<ExportResult> script = {{false, "unavailable"},
                                            {false, "unavailable"},
                                            {false, "deadline exceeded"},
                                            {true, {}},
                                            {true, {}},
                                            {false, "unavailable"}};
  f.exporter.on_export = [&] {
    const std::size_t index = f.exporter.snapshots.size() - 1;
    if (index < script.size()) {
      f.exporter.complete_oldest(script[index]);
    } else {
      asio::post(f.io, [&] { f.io.stop(); });
    }
  };
  f.reader.start();
  f.io.run();

  const std::string logged = stderr_capture.text();
  EXPECT_EQ(count(logged, "\"event\":\"metrics_export_failed\""), 2u) << logged;
  EXPECT_EQ(count(logged, "\"event\":\"metrics_export_ok\""), 1u) << logged;
  EXPECT_EQ(f.reader.health(), ExportHealth::State::failing);
}

TEST(ExportHealth, ReportsOnlyTransitions) {
  ExportHealth health;
  EXPECT_EQ(health.observe({false, "a"}), ExportHealth::State::failing);
  EXPECT_EQ(health.observe({false, "b"}), std::nullopt);
  EXPECT_EQ(health.failures_in_a_row(), 2u);
  EXPECT_EQ(health.observe({true, {}}), ExportHealth::State::ok);
  EXPECT_EQ(health.observe({true, {}}), std::nullopt);
  EXPECT_EQ(health.observe({false, "c"}), ExportHealth::State::failing);
}

}  // namespace
}  // namespace latencylab::telemetry
