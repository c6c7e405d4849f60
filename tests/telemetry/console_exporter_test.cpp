#include "telemetry/console_exporter.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <future>
#include <mutex>
#include <thread>

#include "telemetry/attributes.hpp"
#include "telemetry/snapshot_json.hpp"

namespace latencylab::telemetry {
namespace {

std::shared_ptr<const MetricsSnapshot> sample_snapshot() {
  auto snapshot = std::make_shared<MetricsSnapshot>();
  snapshot->resource = make_attributes({{"service.name", "latencylab"}});
  snapshot->scope = {"latencylab", "0.1.0"};
  HistogramPoint point;
  point.attributes = make_attributes({{"http.route", "/health"}});
  point.start_time_unix_nano = 1;
  point.time_unix_nano = 18446744073709551615u;  // timestamps must survive as exact integers
  point.count = 2;
  point.sum = 0.3;
  point.min = 0.1;
  point.max = 0.2;
  point.explicit_bounds = {0.1, 1.0};
  point.bucket_counts = {1, 1, 0};
  snapshot->metrics.push_back(MetricData{"http.server.request.duration", "Duration", "s",
                                         HistogramData{{point}, Temporality::delta}});
  snapshot->metrics.push_back(
      MetricData{"orders", "", "{order}",
                 SumData{{NumberPoint{{}, 1, 2, std::int64_t{7}}}, Temporality::cumulative, true}});
  return snapshot;
}

struct CapturedLines {
  std::mutex mutex;
  std::vector<std::string> lines;
  bool fail = false;

  ConsoleMetricExporter::LineWriter writer() {
    return [this](std::string_view line) {
      std::lock_guard lock(mutex);
      lines.emplace_back(line);
      return !fail;
    };
  }
};

ExportResult export_and_wait(ConsoleMetricExporter& exporter, std::thread::id* completed_on) {
  std::promise<ExportResult> done;
  exporter.export_async(sample_snapshot(), [&](ExportResult r) {
    if (completed_on != nullptr) *completed_on = std::this_thread::get_id();
    done.set_value(std::move(r));
  });
  return done.get_future().get();
}

TEST(ConsoleMetricExporter, WritesOneJsonLinePerExportOffTheCallingThread) {
  CapturedLines captured;
  ConsoleMetricExporter exporter(TemporalityPreference::delta, ConsoleFormat::json,
                                 captured.writer());
  std::thread::id completed_on;
  EXPECT_TRUE(export_and_wait(exporter, &completed_on).ok);
  EXPECT_NE(completed_on, std::this_thread::get_id());
  exporter.shutdown(1000);

  ASSERT_EQ(captured.lines.size(), 1u);
  const std::string& line = captured.lines[0];
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "exactly one line";
  EXPECT_NE(line.find(R"("count":2,"sum":0.3,"min":0.1,"max":0.2,"explicit_bounds":[0.1,1],)"),
            std::string::npos)
      << "numbers as people write them, not 3E-1: " << line;

  const auto json = boost::json::parse(line).as_object();
  EXPECT_EQ(json.at("resource").at("service.name"), "latencylab");
  const auto& metrics = json.at("metrics").as_array();
  ASSERT_EQ(metrics.size(), 2u);
  const auto& histogram = metrics[0].as_object();
  EXPECT_EQ(histogram.at("type"), "histogram");
  EXPECT_EQ(histogram.at("temporality"), "delta");
  const auto& point = histogram.at("points").as_array()[0].as_object();
  EXPECT_EQ(point.at("attributes").at("http.route"), "/health");
  EXPECT_EQ(point.at("time_unix_nano").as_uint64(), 18446744073709551615u);
  EXPECT_EQ(point.at("bucket_counts").as_array().size(), 3u);
  EXPECT_EQ(metrics[1].at("type"), "sum");
  EXPECT_EQ(metrics[1].at("monotonic"), true);
  EXPECT_EQ(metrics[1].at("points").as_array()[0].at("value"), 7);
  EXPECT_EQ(exporter.temporality_preference(), TemporalityPreference::delta);
}

TEST(ConsoleMetricExporter, SummaryFormatWritesHumanLinesInsteadOfJson) {
  CapturedLines captured;
  ConsoleMetricExporter exporter(TemporalityPreference::delta, ConsoleFormat::summary,
                                 captured.writer());
  EXPECT_TRUE(export_and_wait(exporter, nullptr).ok);
  exporter.shutdown(1000);
  ASSERT_EQ(captured.lines.size(), 1u);
  const std::string& text = captured.lines[0];
  EXPECT_NE(text.front(), '{') << text;
  EXPECT_NE(text.find(" 2 requests in "), std::string::npos) << text;
  EXPECT_NE(text.find("/health "), std::string::npos) << text;
  EXPECT_EQ(text.back(), '\n');
}

TEST(ConsoleMetricExporter, FailedWriteIsAFailedExport) {
  CapturedLines captured;
  captured.fail = true;
  ConsoleMetricExporter exporter(TemporalityPreference::cumulative, ConsoleFormat::json,
                                 captured.writer());
  const auto result = export_and_wait(exporter, nullptr);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "write to stdout failed");
}

TEST(ConsoleMetricExporter, ExportAfterShutdownFailsImmediately) {
  CapturedLines captured;
  ConsoleMetricExporter exporter(TemporalityPreference::cumulative, ConsoleFormat::json,
                                 captured.writer());
  exporter.shutdown(1000);
  const auto result = export_and_wait(exporter, nullptr);
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(captured.lines.empty());
}

}  // namespace
}  // namespace latencylab::telemetry
