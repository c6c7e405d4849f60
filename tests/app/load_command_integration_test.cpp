// Integration: the `latencylab load` command line end to end (flags -> run -> summary, JSON, exit).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "app/load_command.hpp"
#include "fake_collector.hpp"
#include "test_http_server.hpp"

namespace latencylab::loadgen {
namespace {

using testing::TestHttpServer;

using Environment = std::map<std::string, std::string>;

// `latencylab load ARGS` with exactly the OTEL_* variables of `environment` (none by default).
int run(std::vector<std::string> args, const Environment& environment = {}) {
  args.insert(args.begin(), "load");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  const telemetry::EnvLookup env = [&](std::string_view name) -> std::optional<std::string> {
    const auto it = environment.find(std::string(name));
    if (it == environment.end()) return std::nullopt;
    return it->second;
  };
  return app::run_load_command(static_cast<int>(argv.size()), argv.data(), env);
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid())))
      .string();
}

std::string read_file(const std::string& path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(LoadCommand, RefusesNonLoopbackTargetsBeforeSendingAnything) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(run({"-t", "http://10.1.2.3:8080", "--rate", "10"}), 2);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("loopback"), std::string::npos) << err;
}

TEST(LoadCommand, RejectsBadFlagsWithAClearMessage) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(run({"http://127.0.0.1:1", "--rate", "10", "--connections", "5"}), 2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("cannot be combined"), std::string::npos);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(run({"http://127.0.0.1:1", "--rate", "10", "--duration", "ten"}), 2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("--duration"), std::string::npos);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(run({"--bogus"}), 2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("bogus"), std::string::npos);
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(run({"--help"}), 0);
  EXPECT_NE(::testing::internal::GetCapturedStdout().find("--max-error-rate"), std::string::npos);
}

TEST(LoadCommand, OpenRunWritesJsonAndTimelineAndPasses) {
  TestHttpServer server;
  const std::string json_path = temp_path("load.json");
  const std::string timeline_path = temp_path("timeline.csv");
  ::testing::internal::CaptureStdout();
  const int code = run({"-t", "api=" + server.url(), "--scenario", "demo", "--rate", "100",
                        "--duration", "3s", "--warmup", "1s", "--json", json_path, "--timeline",
                        timeline_path, "-q", "--max-error-rate", "0"});
  const std::string summary = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 0) << summary;
  EXPECT_NE(summary.find("PASSED"), std::string::npos) << summary;

  const std::string report = read_file(json_path);
  // Whole numbers read as written (3, not 3E0).
  EXPECT_NE(report.find(R"("duration_s":3,"warmup_s":1,"measured_s":2,)"), std::string::npos)
      << report;
  EXPECT_NE(report.find(R"("target_rate":100,)"), std::string::npos) << report;
  const auto root = boost::json::parse(report).as_object();
  EXPECT_EQ(root.at("schema").as_string(), "latencylab.load.v1");
  EXPECT_TRUE(root.at("passed").as_bool());
  const auto& target = root.at("targets").as_array().at(0).as_object();
  EXPECT_EQ(target.at("name").as_string(), "api");
  EXPECT_NEAR(target.at("target_rate").to_number<double>(), 100.0, 0.01);
  // 2 measured seconds at 100/s; the warm-up second is excluded.
  const auto completed = target.at("requests").at("completed").to_number<double>();
  EXPECT_NEAR(completed, 200.0, 3.0);
  EXPECT_EQ(target.at("endpoints").as_array().size(), 4u);
  EXPECT_GT(target.at("latency_ms").at("p99").to_number<double>(), 0.0);

  const std::string timeline = read_file(timeline_path);
  EXPECT_TRUE(timeline.starts_with("second,target,phase,target_rate"));
  EXPECT_NE(timeline.find("\n1,api,warmup,100.0,"), std::string::npos) << timeline;
  EXPECT_NE(timeline.find("\n2,api,measure,100.0,"), std::string::npos) << timeline;
  std::filesystem::remove(json_path);
  std::filesystem::remove(timeline_path);
}

TEST(LoadCommand, ReportWritesOneHtmlPageWithTheRunsRequestCount) {
  TestHttpServer server;
  const std::string report_path = temp_path("run.html");
  const std::string json_path = temp_path("run-for-report.json");
  ::testing::internal::CaptureStdout();
  const int code = run({"-t", "api=" + server.url(), "--scenario", "demo", "--rate", "50",
                        "--duration", "2s", "--report", report_path, "--json", json_path, "-q"});
  const std::string summary = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 0) << summary;
  EXPECT_NE(summary.find("\nreport: " + report_path + "\n"), std::string::npos) << summary;

  const auto root = boost::json::parse(read_file(json_path)).as_object();
  const auto& target = root.at("targets").as_array().at(0).as_object();
  const auto completed = target.at("requests").at("completed").to_number<std::uint64_t>();
  EXPECT_NEAR(static_cast<double>(completed), 100.0, 3.0);

  const std::string html = read_file(report_path);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("latency percentile spectrum (" + std::to_string(completed) + " requests)"),
            std::string::npos);
  EXPECT_NE(html.find("<td>completed</td><td class=\"number\">" + std::to_string(completed)),
            std::string::npos);
  // Two seconds, one point each, and a third only if a response arrived after the end (a last
  // flush with no activity is not plotted).
  const std::string sent_series = "data-series=\"achieved (sent)\" data-points=\"";
  const auto at = html.find(sent_series);
  ASSERT_NE(at, std::string::npos);
  const char points = html[at + sent_series.size()];
  EXPECT_TRUE(points == '2' || points == '3') << points;
  std::filesystem::remove(report_path);
  std::filesystem::remove(json_path);
}

// Found before the run, not after minutes of load whose results then go nowhere.
TEST(LoadCommand, AnUnwritableResultFileIsAnOutputErrorBeforeAnythingIsSent) {
  TestHttpServer server;
  for (const std::string flag : {"--report", "--json", "--timeline"}) {
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    const int code = run({server.url(), "-n", "5", "-c", "1", flag, "/nonexistent-dir/run", "-q"});
    ::testing::internal::GetCapturedStdout();
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(code, 3) << flag;
    EXPECT_NE(err.find("cannot write " + flag + " /nonexistent-dir/run"), std::string::npos) << err;
    EXPECT_EQ(server.total_requests(), 0u) << flag;
  }
}

TEST(LoadCommand, ExitsNonZeroWhenErrorsExceedTheGate) {
  TestHttpServer server;  // answers 500 on /fail...
  const std::string scenario_path = temp_path("failing-scenario.json");
  std::ofstream(scenario_path) << R"({"name":"half-failing","endpoints":[
      {"name":"ok","path":"/ok","weight":1},{"name":"fail","path":"/fail","weight":1}]})";
  const std::string json_path = temp_path("failing.json");
  ::testing::internal::CaptureStdout();
  const int code = run({"-t", server.url(), "--scenario", scenario_path, "-c", "2", "-n", "200",
                        "-d", "10s", "--max-error-rate", "0.05", "-q", "--json", json_path});
  const std::string summary = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 1) << summary;
  EXPECT_NE(summary.find("exceeds --max-error-rate"), std::string::npos) << summary;
  const auto root = boost::json::parse(read_file(json_path)).as_object();
  EXPECT_FALSE(root.at("passed").as_bool());
  const auto& target = root.at("targets").as_array().at(0).as_object();
  const auto fives = target.at("errors").at("status").to_number<double>();
  EXPECT_NEAR(fives, 100.0, 40.0);
  EXPECT_EQ(target.at("status_codes").at("500").to_number<double>(), fives);
  EXPECT_EQ(target.at("status_errors").at("500").to_number<double>(), fives);
  std::filesystem::remove(scenario_path);
  std::filesystem::remove(json_path);
}

// `hey -n 1000 -c 10` as docs/LOAD.md translates it: the run ends when the cap is reached, and its
// rates are per second of the time it ran, not of the 60 s it was allowed (which reported a few
// requests per second for a run that sent thousands).
TEST(LoadCommand, ARunEndedByRequestsReportsRatesOverTheTimeItRan) {
  TestHttpServer server;
  const std::string json_path = temp_path("capped.json");
  ::testing::internal::CaptureStdout();
  const int code = run(
      {server.url() + "/health", "-n", "200", "-c", "4", "-d", "60s", "-q", "--json", json_path});
  const std::string summary = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 0) << summary;
  EXPECT_NE(summary.find("(--requests reached)"), std::string::npos) << summary;
  const auto root = boost::json::parse(read_file(json_path)).as_object();
  const double measured = root.at("measured_s").to_number<double>();
  EXPECT_GT(measured, 0.0);
  EXPECT_LT(measured, 60.0) << "the run stopped at its 200th response";
  EXPECT_EQ(root.at("duration_s").to_number<double>(), measured);
  const auto& target = root.at("targets").as_array().at(0).as_object();
  EXPECT_EQ(target.at("requests").at("completed").to_number<double>(), 200.0);
  EXPECT_NEAR(target.at("throughput").to_number<double>(), 200.0 / measured, 1e-6);
  EXPECT_NEAR(target.at("achieved_rate").to_number<double>(), 200.0 / measured, 1e-6);
  std::filesystem::remove(json_path);
}

// Issue 12, first try: `latencylab load http://127.0.0.1:18080/health -d 1s -r 10` loaded the demo
// mix at 127.0.0.1:8080 and ignored the URL.
TEST(LoadCommand, PositionalUrlIsLoadedAsWrittenAndNothingElse) {
  TestHttpServer server;
  ::testing::internal::CaptureStdout();
  const int code = run({server.url() + "/health", "-d", "1s", "-r", "20", "-q"});
  const std::string summary = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 0) << summary;
  const auto counts = server.route_counts();
  ASSERT_EQ(counts.size(), 1u) << summary;
  EXPECT_EQ(counts.begin()->first, "/health");
  EXPECT_NEAR(static_cast<double>(counts.begin()->second), 20.0, 2.0);
  EXPECT_NE(summary.find("URLs as given"), std::string::npos) << summary;
}

// Issue 12, second try: `-t http://127.0.0.1:18080/api/users` prefixed the demo mix's paths
// (/api/users/health, ...), every request got 404, and the run passed.
TEST(LoadCommand, TargetUrlPathIsTheRequestNotAPrefix) {
  TestHttpServer server;
  ::testing::internal::CaptureStdout();
  const int code = run({"-t", server.url() + "/api/users", "-c", "2", "-n", "30", "-q"});
  const std::string summary = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 0) << summary;
  EXPECT_EQ(server.route_counts(), (std::map<std::string, std::uint64_t>{{"/api/users", 30}}));

  ::testing::internal::CaptureStderr();
  EXPECT_EQ(run({"-t", server.url() + "/api/users", "--scenario", "demo", "-c", "2", "-n", "30"}),
            2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("--base-path"), std::string::npos);
  EXPECT_EQ(server.total_requests(), 30u) << "a refused command line sends nothing";
}

// A --requests cap reached before the warm-up ends leaves nothing measured: the run fails saying
// so, not "no request got an expected response" about requests that all got 200.
TEST(LoadCommand, ARequestCapReachedWithinTheWarmUpFailsSayingSo) {
  TestHttpServer server;
  ::testing::internal::CaptureStdout();
  const int code = run({server.url() + "/", "-c", "1", "-n", "5", "-w", "5s", "-d", "10s", "-q"});
  const std::string summary = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 1) << summary;
  EXPECT_EQ(server.total_requests(), 5u);
  EXPECT_NE(summary.find("--requests 5 was reached within the 5s warm-up: nothing was measured"),
            std::string::npos)
      << summary;
  EXPECT_EQ(summary.find("no request got an expected response"), std::string::npos) << summary;
}

// Issue 12, third try: 4xx never counted as errors, so a run against a misconfigured service
// passed a CI gate. Now a status the target does not expect is an error of kind `status`, and a
// run in which nothing got an expected status fails without any threshold.
TEST(LoadCommand, UnexpectedStatusesAreErrorsAndARunWithoutAnExpectedOneFails) {
  TestHttpServer server;
  const std::string json_path = temp_path("status.json");
  ::testing::internal::CaptureStdout();
  const int code =
      run({server.url() + "/status/404", "-c", "1", "-n", "20", "-q", "--json", json_path});
  const std::string summary = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 1) << summary;
  EXPECT_NE(summary.find("20 errors (100.00%)"), std::string::npos) << summary;
  EXPECT_NE(summary.find("status 20 (404:20)"), std::string::npos) << summary;
  EXPECT_NE(summary.find("no request got an expected response"), std::string::npos) << summary;
  const auto root = boost::json::parse(read_file(json_path)).as_object();
  EXPECT_FALSE(root.at("passed").as_bool());
  const auto& target = root.at("targets").as_array().at(0).as_object();
  EXPECT_EQ(target.at("errors").at("status").to_number<double>(), 20.0);
  EXPECT_EQ(target.at("status_errors").at("404").to_number<double>(), 20.0);
  EXPECT_EQ(target.at("endpoints").at(0).at("status_errors").at("404").to_number<double>(), 20.0);

  // The same responses pass once they are what the user expects.
  ::testing::internal::CaptureStdout();
  const int expected = run({server.url() + "/status/404", "--expect-status", "200,404", "-c", "1",
                            "-n", "20", "-q", "--max-error-rate", "0"});
  const std::string passed = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(expected, 0) << passed;
  EXPECT_NE(passed.find("0 errors (0.00%)"), std::string::npos) << passed;
  std::filesystem::remove(json_path);
}

TEST(LoadCommand, UnexpectedStatusesCountTowardsMaxErrorRate) {
  TestHttpServer server;
  const std::string scenario_path = temp_path("declines-scenario.json");
  // Declines (402) are expected of payments, a 404 of nothing.
  std::ofstream(scenario_path) << R"({"name":"declines","endpoints":[
      {"name":"payments","method":"POST","path":"/status/402","weight":1,
       "expected_statuses":[201,402]},
      {"name":"missing","path":"/status/404","weight":1}]})";
  ::testing::internal::CaptureStdout();
  const int code = run({server.url(), "--scenario", scenario_path, "-c", "2", "-n", "200", "-q",
                        "--max-error-rate", "0.05"});
  const std::string summary = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 1) << summary;
  EXPECT_NE(summary.find("exceeds --max-error-rate"), std::string::npos) << summary;
  const auto errors_at = summary.find("  errors ");
  ASSERT_NE(errors_at, std::string::npos) << summary;
  const std::string errors_line =
      summary.substr(errors_at, summary.find('\n', errors_at) - errors_at);
  EXPECT_NE(errors_line.find("(404:"), std::string::npos) << errors_line;
  EXPECT_EQ(errors_line.find("402"), std::string::npos) << "402 is expected: " << errors_line;
  std::filesystem::remove(scenario_path);
}

// A metric point's attribute as text ("<absent>" when it has none of that key).
template <typename Point>
std::string attribute(const Point& point, std::string_view key) {
  for (const auto& kv : point.attributes()) {
    if (kv.key() == key) {
      return kv.value().has_int_value() ? std::to_string(kv.value().int_value())
                                        : kv.value().string_value();
    }
  }
  return "<absent>";
}

// What the collector last received from each io thread (each exports as its own
// service.instance.id), summed over the threads.
struct ExportedLoad {
  std::set<std::string> service_names;
  std::size_t instances = 0;
  std::map<std::string, std::uint64_t> requests;             // "target/outcome[/error.type]"
  std::map<std::string, std::uint64_t> client_durations;     // "target/status|error.type"
  std::map<std::string, std::uint64_t> corrected_durations;  // the same keys
};

ExportedLoad last_export(const telemetry::otlp::testing::FakeCollector& collector) {
  ExportedLoad exported;
  // Cumulative temporality: an instance's latest export holds its totals.
  std::map<std::string, const opentelemetry::proto::metrics::v1::ResourceMetrics*> latest;
  const auto calls = collector.calls();
  for (const auto& call : calls) {
    for (const auto& resource_metrics : call.request.resource_metrics()) {
      latest[attribute(resource_metrics.resource(), "service.instance.id")] = &resource_metrics;
    }
  }
  exported.instances = latest.size();
  for (const auto& [instance, resource] : latest) {
    const auto& resource_metrics = *resource;
    exported.service_names.insert(attribute(resource_metrics.resource(), "service.name"));
    for (const auto& scope : resource_metrics.scope_metrics()) {
      for (const auto& metric : scope.metrics()) {
        if (metric.name() == "latencylab.load.requests") {
          for (const auto& point : metric.sum().data_points()) {
            std::string key = attribute(point, "latencylab.load.target") + "/" +
                              attribute(point, "latencylab.load.outcome");
            if (attribute(point, "error.type") != "<absent>") {
              key += "/" + attribute(point, "error.type");
            }
            exported.requests[key] += static_cast<std::uint64_t>(point.as_int());
          }
        }
        const bool client = metric.name() == "http.client.request.duration";
        if (!client && metric.name() != "latencylab.load.request.duration") continue;
        for (const auto& point : metric.histogram().data_points()) {
          EXPECT_EQ(attribute(point, "http.request.method"), "GET");
          EXPECT_EQ(attribute(point, "server.address"), "127.0.0.1");
          const std::string status = attribute(point, "http.response.status_code");
          const std::string key = attribute(point, "latencylab.load.target") + "/" +
                                  (status != "<absent>" ? status : attribute(point, "error.type"));
          (client ? exported.client_durations : exported.corrected_durations)[key] += point.count();
        }
      }
    }
  }
  return exported;
}

// With OTEL_METRICS_EXPORTER set, the run's own metrics reach the collector, and the final export
// at the end of the run carries exactly the run's counts: every request the server answered, by
// target and status, in both duration histograms and in the outcome counter.
TEST(LoadCommand, ExportsItsOwnMetricsWithTheRunsCountsWhenOtelMetricsExporterIsSet) {
  TestHttpServer server;
  telemetry::otlp::testing::FakeCollector collector;
  const Environment environment{{"OTEL_METRICS_EXPORTER", "otlp"},
                                {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://" + collector.target()},
                                {"OTEL_METRIC_EXPORT_INTERVAL", "100"}};
  const std::string json_path = temp_path("load-export.json");
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  const int code = run(
      {"-t", "ok=" + server.url() + "/health", "-t", "unavailable=" + server.url() + "/status/503",
       "-c", "2", "-n", "400", "-d", "60s", "--threads", "2", "-q", "--json", json_path},
      environment);
  ::testing::internal::GetCapturedStdout();
  const std::string err = ::testing::internal::GetCapturedStderr();
  // The "unavailable" target never got a status it expects: the run fails, and still exports.
  EXPECT_EQ(code, 1) << err;

  const auto counts = server.route_counts();
  const std::uint64_t ok = counts.count("/health") ? counts.at("/health") : 0;
  const std::uint64_t unavailable = counts.count("/status/503") ? counts.at("/status/503") : 0;
  ASSERT_EQ(ok + unavailable, 400u) << "--requests caps the run";
  ASSERT_GT(ok, 0u);
  ASSERT_GT(unavailable, 0u);

  const ExportedLoad exported = last_export(collector);
  EXPECT_EQ(exported.service_names, std::set<std::string>{"latencylab-load"});
  EXPECT_EQ(exported.instances, 2u) << "one service.instance.id per io thread";
  const std::map<std::string, std::uint64_t> expected_requests{
      {"ok/sent", ok},
      {"ok/late", 0},
      {"ok/dropped", 0},
      {"ok/error/connect", 0},
      {"ok/error/timeout", 0},
      {"ok/error/reset", 0},
      {"ok/error/protocol", 0},
      {"ok/error/status", 0},
      {"unavailable/sent", unavailable},
      {"unavailable/late", 0},
      {"unavailable/dropped", 0},
      {"unavailable/error/connect", 0},
      {"unavailable/error/timeout", 0},
      {"unavailable/error/reset", 0},
      {"unavailable/error/protocol", 0},
      {"unavailable/error/status", unavailable}};
  EXPECT_EQ(exported.requests, expected_requests);
  // Pre-bound series of errors that did not happen report a count of 0.
  std::map<std::string, std::uint64_t> expected_durations{{"ok/200", ok},
                                                          {"unavailable/503", unavailable}};
  for (const char* target : {"ok", "unavailable"}) {
    for (const char* kind : {"connect", "timeout", "reset", "protocol"}) {
      expected_durations[std::string(target) + "/" + kind] = 0;
    }
  }
  expected_durations["unavailable/200"] = 0;  // bound ahead: the default statuses' 200
  EXPECT_EQ(exported.client_durations, expected_durations);
  EXPECT_EQ(exported.corrected_durations, expected_durations);

  // The same counts as the run's own report.
  const auto root = boost::json::parse(read_file(json_path)).as_object();
  const auto& targets = root.at("targets").as_array();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].at("requests").at("sent").to_number<std::uint64_t>(), ok);
  EXPECT_EQ(targets[1].at("requests").at("errors").to_number<std::uint64_t>(), unavailable);
  std::filesystem::remove(json_path);
}

// Without OTEL_METRICS_EXPORTER the load generator assumes no collector and exports nothing,
// even when other OTEL_* variables point at one.
TEST(LoadCommand, ExportsNothingWithoutOtelMetricsExporter) {
  TestHttpServer server;
  telemetry::otlp::testing::FakeCollector collector;
  const Environment environment{{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://" + collector.target()},
                                {"OTEL_METRIC_EXPORT_INTERVAL", "100"}};
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(run({server.url() + "/health", "-c", "1", "-n", "20", "-q"}, environment), 0);
  ::testing::internal::GetCapturedStdout();
  EXPECT_TRUE(collector.calls().empty());
}

TEST(LoadCommand, AnInvalidOtelVariableIsAUsageError) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(run({"http://127.0.0.1:9/health", "-c", "1", "-n", "1"},
                {{"OTEL_METRICS_EXPORTER", "otlp"}, {"OTEL_METRIC_EXPORT_INTERVAL", "10s"}}),
            2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("OTEL_METRIC_EXPORT_INTERVAL"),
            std::string::npos);
}

// The summary exporter describes a server's routes: for a load run it printed "no requests" every
// interval while requests flowed. It is refused before anything is sent.
TEST(LoadCommand, TheServersSummaryExporterIsRefused) {
  TestHttpServer server;
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(run({server.url() + "/health", "-c", "1", "-n", "5", "-q"},
                {{"OTEL_METRICS_EXPORTER", "summary"}}),
            2);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("OTEL_METRICS_EXPORTER=summary"), std::string::npos) << err;
  EXPECT_NE(err.find("otlp, console or none"), std::string::npos) << err;
  EXPECT_EQ(server.total_requests(), 0u);
}

}  // namespace
}  // namespace latencylab::loadgen
