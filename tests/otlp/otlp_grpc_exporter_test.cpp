// The OTLP/gRPC exporter against an in-process fake collector on 127.0.0.1. Retry waits and the
// export deadline run on a ManualRetryClock, so no test sleeps: a retry "waits" by moving that
// clock, and the test reads what was waited. Only the gRPC deadline test runs on real time.
#include "telemetry/otlp/otlp_grpc_exporter.hpp"

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

#include "core/log.hpp"
#include "fake_collector.hpp"
#include "telemetry/otlp/otlp_encoder.hpp"

namespace latencylab::telemetry::otlp {
namespace {

using namespace std::chrono_literals;
using testing::FakeCollector;
using ::testing::HasSubstr;
using testing::ScriptedReply;
using Clock = std::chrono::steady_clock;

std::shared_ptr<const MetricsSnapshot> make_snapshot() {
  auto snapshot = std::make_shared<MetricsSnapshot>();
  snapshot->resource = {{"service.name", std::string("latencylab-test")}};
  snapshot->scope = {"latencylab.test", "1.0"};
  HistogramData histogram;
  HistogramPoint point;
  point.attributes = {{"http.route", std::string("/api/work")}};
  point.start_time_unix_nano = 1;
  point.time_unix_nano = 2;
  point.count = 3;
  point.sum = 0.6;
  point.min = 0.1;
  point.max = 0.3;
  point.explicit_bounds = {0.25};
  point.bucket_counts = {2, 1};
  histogram.points.push_back(point);
  snapshot->metrics.push_back(MetricData{"http.server.request.duration", "", "s", histogram});
  return snapshot;
}

// The exporter's clock under the test's control: time stands still except when the exporter waits
// for a retry; a wait moves the clock to its end at once and is recorded. With hold_waits(), a wait
// instead blocks until shutdown stops it.
class ManualRetryClock final : public RetryClock {
 public:
  time_point now() override {
    std::lock_guard lock(mutex_);
    return now_;
  }

  bool sleep_until(time_point until, const std::stop_token& stop) override {
    std::unique_lock lock(mutex_);
    waits_.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(until - now_));
    changed_.notify_all();
    if (hold_) {
      changed_.wait(lock, stop, [] { return false; });
      return false;
    }
    now_ = std::max(now_, until);
    return true;
  }

  void hold_waits() {
    std::lock_guard lock(mutex_);
    hold_ = true;
  }

  // Every retry wait so far, as asked for.
  std::vector<std::chrono::milliseconds> waits() {
    std::lock_guard lock(mutex_);
    return waits_;
  }

  bool wait_for_waits(std::size_t count, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return waits_.size() >= count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable_any changed_;
  time_point now_{};
  std::vector<std::chrono::milliseconds> waits_;
  bool hold_ = false;
};

// Collects the completion and checks it fires exactly once.
class CompletionProbe {
 public:
  MetricExporter::Completion callback() {
    return [this](ExportResult result) {
      std::lock_guard lock(mutex_);
      ++calls_;
      result_ = std::move(result);
      finished_at_ = Clock::now();
      changed_.notify_all();
    };
  }

  // The result once the completion ran, or nullopt after `timeout`.
  std::optional<ExportResult> wait(std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [this] { return calls_ > 0; })) {
      return std::nullopt;
    }
    return result_;
  }

  int calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

  Clock::time_point finished_at() {
    std::lock_guard lock(mutex_);
    return finished_at_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int calls_ = 0;
  ExportResult result_;
  Clock::time_point finished_at_;
};

class OtlpGrpcExporterTest : public ::testing::Test {
 protected:
  OtlpExporterSettings settings_for(const FakeCollector& collector) {
    OtlpExporterSettings settings;
    settings.endpoint = "http://" + collector.target();
    settings.target = collector.target();
    settings.use_tls = false;
    settings.timeout = 3000ms;
    settings.retry.initial_backoff = 20ms;
    settings.retry.max_backoff = 50ms;
    return settings;
  }

  // An exporter whose first call the collector holds for 30 s, longer than its 20 s timeout, so the
  // call is still in flight whenever the test shuts the exporter down.
  std::unique_ptr<MetricExporter> exporter_with_a_stalled_call() {
    collector_.script({ScriptedReply::stalled(30s)});
    auto settings = settings_for(collector_);
    settings.timeout = 20000ms;
    return make_otlp_grpc_exporter(settings, clock_);
  }

  // One export of a fresh snapshot through a new exporter; the completion's result, or nullopt
  // when it never came.
  std::optional<ExportResult> export_once(const OtlpExporterSettings& settings) {
    auto exporter = make_otlp_grpc_exporter(settings, clock_);
    CompletionProbe probe;
    exporter->export_async(make_snapshot(), probe.callback());
    return probe.wait();
  }

  ManualRetryClock clock_;
  FakeCollector collector_;
};

TEST_F(OtlpGrpcExporterTest, DeliversTheEncodedSnapshot) {
  auto exporter = make_otlp_grpc_exporter(settings_for(collector_), clock_);
  const auto snapshot = make_snapshot();
  CompletionProbe probe;
  exporter->export_async(snapshot, probe.callback());

  const auto result = probe.wait();
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->ok) << result->error;
  EXPECT_TRUE(result->error.empty());
  const auto calls = collector_.calls();
  ASSERT_EQ(calls.size(), 1U);

  opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest expected;
  encode_export_request(*snapshot, expected);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(calls[0].request, expected))
      << calls[0].request.DebugString();
  EXPECT_EQ(calls[0].request.resource_metrics(0).scope_metrics(0).metrics(0).name(),
            "http.server.request.duration");
  exporter->shutdown(1000);
  EXPECT_EQ(probe.calls(), 1);
}

TEST_F(OtlpGrpcExporterTest, RetriesTransientFailuresThenSucceeds) {
  collector_.script({ScriptedReply::failure(grpc::StatusCode::UNAVAILABLE),
                     ScriptedReply::failure(grpc::StatusCode::DEADLINE_EXCEEDED),
                     ScriptedReply::failure(grpc::StatusCode::ABORTED), ScriptedReply::ok()});
  const auto result = export_once(settings_for(collector_));
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->ok) << result->error;
  EXPECT_EQ(collector_.calls().size(), 4U);
  // Exponential backoff from 20 ms, capped at 50 ms, each wait scaled by the jitter (+-20 %).
  const auto waits = clock_.waits();
  ASSERT_EQ(waits.size(), 3U);
  EXPECT_GE(waits[0], 16ms);
  EXPECT_LE(waits[0], 24ms);
  for (const auto wait : waits) EXPECT_LE(wait, 50ms);
}

TEST_F(OtlpGrpcExporterTest, RetryWaitsEndByTheExportTimeout) {
  collector_.script(
      std::vector<ScriptedReply>(20, ScriptedReply::failure(grpc::StatusCode::UNAVAILABLE)));
  auto settings = settings_for(collector_);
  settings.timeout = 100ms;
  settings.retry.max_attempts = 20;
  const auto result = export_once(settings);
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->ok);
  EXPECT_THAT(result->error, HasSubstr("no time left for a retry within the 100 ms"));
  const auto waits = clock_.waits();
  ASSERT_GE(waits.size(), 2U);  // 100 ms holds at least two waits of at most 50 ms
  std::chrono::milliseconds waited{0};
  for (const auto wait : waits) waited += wait;
  EXPECT_LT(waited, settings.timeout);
  // One attempt per wait plus the last; an attempt whose gRPC deadline (the time left) passed
  // before it reached the collector is not counted there.
  EXPECT_LE(collector_.calls().size(), waits.size() + 1);
}

TEST_F(OtlpGrpcExporterTest, GivesUpAfterMaxAttempts) {
  collector_.script(
      std::vector<ScriptedReply>(10, ScriptedReply::failure(grpc::StatusCode::UNAVAILABLE)));
  auto settings = settings_for(collector_);
  settings.retry.max_attempts = 3;
  const auto result = export_once(settings);
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->ok);
  EXPECT_THAT(result->error, HasSubstr("UNAVAILABLE"));
  EXPECT_THAT(result->error, HasSubstr("3 attempts"));
  EXPECT_EQ(collector_.calls().size(), 3U);
}

TEST_F(OtlpGrpcExporterTest, PermanentFailureIsNotRetried) {
  collector_.script({ScriptedReply::failure(grpc::StatusCode::INVALID_ARGUMENT)});
  const auto result = export_once(settings_for(collector_));
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->ok);
  EXPECT_THAT(result->error, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(result->error, HasSubstr("scripted failure"));
  EXPECT_TRUE(clock_.waits().empty()) << "a retry was scheduled";
  EXPECT_EQ(collector_.calls().size(), 1U);
}

TEST_F(OtlpGrpcExporterTest, ResourceExhaustedWithoutRetryInfoIsDropped) {
  collector_.script({ScriptedReply::failure(grpc::StatusCode::RESOURCE_EXHAUSTED)});
  const auto result = export_once(settings_for(collector_));
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->ok);
  EXPECT_THAT(result->error, HasSubstr("RESOURCE_EXHAUSTED"));
  EXPECT_TRUE(clock_.waits().empty()) << "a retry was scheduled";
  EXPECT_EQ(collector_.calls().size(), 1U);
}

TEST_F(OtlpGrpcExporterTest, ResourceExhaustedWithRetryInfoWaitsTheServerDelay) {
  constexpr auto server_delay = 300ms;
  collector_.script({ScriptedReply::failure(grpc::StatusCode::RESOURCE_EXHAUSTED, server_delay),
                     ScriptedReply::ok()});
  auto exporter = make_otlp_grpc_exporter(settings_for(collector_), clock_);  // own backoff: 20 ms
  CompletionProbe probe;
  exporter->export_async(make_snapshot(), probe.callback());

  const auto result = probe.wait();
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->ok) << result->error;
  EXPECT_EQ(collector_.calls().size(), 2U);
  EXPECT_EQ(clock_.waits(), std::vector<std::chrono::milliseconds>{server_delay});
}

TEST_F(OtlpGrpcExporterTest, RetryInfoDelayBeyondTheDeadlineFailsWithoutWaiting) {
  collector_.script({ScriptedReply::failure(grpc::StatusCode::UNAVAILABLE, 60s)});
  auto settings = settings_for(collector_);
  settings.timeout = 5000ms;
  const auto result = export_once(settings);
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->ok);
  EXPECT_THAT(result->error, HasSubstr("no time left"));
  EXPECT_TRUE(clock_.waits().empty());
  EXPECT_EQ(collector_.calls().size(), 1U);
}

// The one test on real time: the export timeout reaches gRPC as the call's deadline.
TEST_F(OtlpGrpcExporterTest, SlowCollectorFailsTheExportByItsTimeout) {
  collector_.script(std::vector<ScriptedReply>(10, ScriptedReply::stalled(30s)));
  auto settings = settings_for(collector_);
  settings.timeout = 400ms;
  auto exporter = make_otlp_grpc_exporter(settings, steady_retry_clock());
  CompletionProbe probe;
  const auto started = Clock::now();
  exporter->export_async(make_snapshot(), probe.callback());

  const auto result = probe.wait();
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->ok);
  EXPECT_THAT(result->error, HasSubstr("DEADLINE_EXCEEDED"));
  const auto elapsed = probe.finished_at() - started;
  EXPECT_GE(elapsed, settings.timeout - 50ms);  // gRPC deadlines may fire a hair early
  EXPECT_LT(elapsed, settings.timeout + 2s);
}

TEST_F(OtlpGrpcExporterTest, UnreachableCollectorFailsWithinTheTimeout) {
  const std::string closed_target = collector_.target();
  collector_.stop();
  auto settings = settings_for(collector_);
  settings.target = closed_target;
  settings.timeout = 500ms;
  auto exporter = make_otlp_grpc_exporter(settings, clock_);
  CompletionProbe probe;
  const auto started = Clock::now();
  exporter->export_async(make_snapshot(), probe.callback());

  const auto result = probe.wait();
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->ok);
  EXPECT_THAT(result->error, HasSubstr("UNAVAILABLE"));
  EXPECT_LT(probe.finished_at() - started, settings.timeout + 2s);
}

TEST_F(OtlpGrpcExporterTest, PartialSuccessIsLoggedAndCountsAsSuccess) {
  collector_.script({ScriptedReply::partial_success(3, "bad attribute")});
  auto exporter = make_otlp_grpc_exporter(settings_for(collector_), clock_);
  CompletionProbe probe;

  core::log::flush();
  ::testing::internal::CaptureStderr();
  exporter->export_async(make_snapshot(), probe.callback());
  const auto result = probe.wait();
  core::log::flush();
  const std::string logged = ::testing::internal::GetCapturedStderr();

  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->ok) << result->error;
  EXPECT_THAT(logged, HasSubstr("otlp_export_partial_success"));
  EXPECT_THAT(logged, HasSubstr("\"rejected_data_points\":3"));
  EXPECT_THAT(logged, HasSubstr("bad attribute"));
  EXPECT_TRUE(clock_.waits().empty()) << "a retry was scheduled";
  EXPECT_EQ(collector_.calls().size(), 1U);
}

TEST_F(OtlpGrpcExporterTest, HeadersArriveAsMetadata) {
  auto settings = settings_for(collector_);
  settings.headers = {{"api-key", "secret value"}, {"x-tenant", "team-a"}};
  auto exporter = make_otlp_grpc_exporter(settings, clock_);
  CompletionProbe probe;
  exporter->export_async(make_snapshot(), probe.callback());
  ASSERT_TRUE(probe.wait().value_or(ExportResult{}).ok);

  const auto calls = collector_.calls();
  ASSERT_EQ(calls.size(), 1U);
  const auto& metadata = calls[0].metadata;
  ASSERT_EQ(metadata.count("api-key"), 1U);
  EXPECT_EQ(metadata.find("api-key")->second, "secret value");
  ASSERT_EQ(metadata.count("x-tenant"), 1U);
  EXPECT_EQ(metadata.find("x-tenant")->second, "team-a");
}

// grpc++ does not show grpc-encoding to handlers, so the proof is a collector that refuses gzip:
// it must reject the gzip exporter's call and accept the same snapshot sent uncompressed.
TEST_F(OtlpGrpcExporterTest, GzipCompressionIsAppliedToTheRequest) {
  FakeCollector gzip_refusing(FakeCollector::Gzip::rejected);
  auto gzip_settings = settings_for(gzip_refusing);
  gzip_settings.compression = OtlpCompression::gzip;
  auto gzip_exporter = make_otlp_grpc_exporter(gzip_settings, clock_);
  CompletionProbe gzip_probe;
  gzip_exporter->export_async(make_snapshot(), gzip_probe.callback());
  const auto refused = gzip_probe.wait();
  ASSERT_TRUE(refused.has_value());
  EXPECT_FALSE(refused->ok);
  EXPECT_THAT(refused->error, HasSubstr("UNIMPLEMENTED"));
  EXPECT_THAT(refused->error, HasSubstr("gzip"));

  auto plain_exporter = make_otlp_grpc_exporter(settings_for(gzip_refusing), clock_);
  CompletionProbe plain_probe;
  plain_exporter->export_async(make_snapshot(), plain_probe.callback());
  EXPECT_TRUE(plain_probe.wait().value_or(ExportResult{}).ok);

  // And a collector that accepts gzip decodes the compressed request to the same snapshot.
  auto accepted_settings = settings_for(collector_);
  accepted_settings.compression = OtlpCompression::gzip;
  auto exporter = make_otlp_grpc_exporter(accepted_settings, clock_);
  const auto snapshot = make_snapshot();
  CompletionProbe probe;
  exporter->export_async(snapshot, probe.callback());
  ASSERT_TRUE(probe.wait().value_or(ExportResult{}).ok);
  opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest expected;
  encode_export_request(*snapshot, expected);
  ASSERT_EQ(collector_.calls().size(), 1U);
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(collector_.calls()[0].request, expected));
}

TEST_F(OtlpGrpcExporterTest, ExportAsyncReturnsBeforeTheCallAndRefusesASecondSnapshot) {
  collector_.script({ScriptedReply::stalled(30s)});  // held until release_stalls()
  auto exporter = make_otlp_grpc_exporter(settings_for(collector_), clock_);
  CompletionProbe first;
  exporter->export_async(make_snapshot(), first.callback());
  EXPECT_EQ(first.calls(), 0);  // returned while the collector still holds the call

  ASSERT_TRUE(collector_.wait_for_calls(1, 5s));
  CompletionProbe second;
  exporter->export_async(make_snapshot(), second.callback());
  const auto refused = second.wait(0ms);  // refused inline: nothing queued behind the first
  ASSERT_TRUE(refused.has_value());
  EXPECT_FALSE(refused->ok);
  EXPECT_THAT(refused->error, HasSubstr("still in progress"));

  collector_.release_stalls();
  const auto result = first.wait();
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->ok) << result->error;
  EXPECT_EQ(collector_.calls().size(), 1U);

  // Once the first completed, the next snapshot is accepted again.
  CompletionProbe third;
  exporter->export_async(make_snapshot(), third.callback());
  EXPECT_TRUE(third.wait().value_or(ExportResult{}).ok);
}

TEST_F(OtlpGrpcExporterTest, ShutdownCancelsTheCallInFlight) {
  auto exporter = exporter_with_a_stalled_call();
  CompletionProbe probe;
  exporter->export_async(make_snapshot(), probe.callback());
  ASSERT_TRUE(collector_.wait_for_calls(1, 5s));

  const auto started = Clock::now();
  exporter->shutdown(5000);
  EXPECT_LT(Clock::now() - started, 4s);  // cancelled, not waited out (30 s stall, 20 s timeout)
  const auto result = probe.wait(0ms);
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->ok);
  EXPECT_THAT(result->error, HasSubstr("shutdown"));
  EXPECT_EQ(probe.calls(), 1);

  CompletionProbe after;
  exporter->export_async(make_snapshot(), after.callback());
  const auto refused = after.wait(0ms);
  ASSERT_TRUE(refused.has_value());
  EXPECT_FALSE(refused->ok);
  EXPECT_THAT(refused->error, HasSubstr("shut down"));
}

// The service destroys its io_context right after the exporter's shutdown returns; a completion
// invoked later would post into freed memory (found by ASan in the EMFILE test, whose drain left
// the final export no time: shutdown(0) with a call in flight).
TEST_F(OtlpGrpcExporterTest, ShutdownThatTimesOutNeverInvokesTheCompletionAfterwards) {
  auto exporter = exporter_with_a_stalled_call();
  CompletionProbe probe;
  auto captured = std::make_shared<int>(0);
  std::weak_ptr<int> capture_alive = captured;
  exporter->export_async(make_snapshot(),
                         [callback = probe.callback(), captured = std::move(captured)](
                             ExportResult result) { callback(std::move(result)); });
  ASSERT_TRUE(collector_.wait_for_calls(1, 5s));

  exporter->shutdown(0);  // gives up at once: the worker is still cancelling the call
  const int calls_at_return = probe.calls();
  EXPECT_TRUE(capture_alive.expired()) << "the completion outlived shutdown()";
  exporter.reset();  // joins the worker thread: the cancelled export has ended
  EXPECT_EQ(probe.calls(), calls_at_return) << "completion invoked after shutdown() returned";
}

TEST_F(OtlpGrpcExporterTest, ShutdownInterruptsABackoffWait) {
  collector_.script({ScriptedReply::failure(grpc::StatusCode::UNAVAILABLE, 10s)});
  auto settings = settings_for(collector_);
  settings.timeout = 30000ms;
  clock_.hold_waits();
  auto exporter = make_otlp_grpc_exporter(settings, clock_);
  CompletionProbe probe;
  exporter->export_async(make_snapshot(), probe.callback());
  ASSERT_TRUE(clock_.wait_for_waits(1));  // the worker is in its 10 s retry wait

  const auto started = Clock::now();
  exporter->shutdown(5000);
  EXPECT_LT(Clock::now() - started, 4s);
  const auto result = probe.wait(0ms);
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->ok);
  EXPECT_THAT(result->error, HasSubstr("shutdown"));
  EXPECT_EQ(collector_.calls().size(), 1U);
}

TEST_F(OtlpGrpcExporterTest, MissingSnapshotIsReportedNotSent) {
  auto exporter = make_otlp_grpc_exporter(settings_for(collector_), clock_);
  CompletionProbe probe;
  exporter->export_async(nullptr, probe.callback());
  const auto result = probe.wait(0ms);
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->ok);
  EXPECT_TRUE(collector_.calls().empty());
}

TEST_F(OtlpGrpcExporterTest, ReportsTheTemporalityPreferenceItWasGiven) {
  auto settings = settings_for(collector_);
  settings.temporality_preference = TemporalityPreference::delta;
  EXPECT_EQ(make_otlp_grpc_exporter(settings, clock_)->temporality_preference(),
            TemporalityPreference::delta);
}

}  // namespace
}  // namespace latencylab::telemetry::otlp
