// The --report page on a synthetic run: self-contained (no script, nothing fetched), the run's
// request count and parameters visible, one chart point per timeline point, errors by kind and
// status, and every text from the run escaped.
#include "loadgen/html_report.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <variant>
#include <vector>

#include "loadgen/run_plan_builder.hpp"

namespace latencylab::loadgen {
namespace {

LoadOptions options_for(std::vector<std::string> args) {
  args.insert(args.begin(), "load");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  const auto parsed = parse_load_options(static_cast<int>(argv.size()), argv.data());
  EXPECT_TRUE(parsed.has_value());
  return std::get<LoadOptions>(*parsed);
}

void record(EndpointStats& s, std::uint64_t count, ExchangeOutcome outcome, Nanos latency) {
  for (std::uint64_t i = 0; i < count; ++i) s.record(outcome, latency, latency / 2);
}

class HtmlReportTest : public ::testing::Test {
 protected:
  HtmlReportTest()
      : options_(options_for(
            {"api=http://127.0.0.1:9/", "--rate", "100", "-d", "3s", "-w", "1s", "--seed", "42"})),
        plan_(*build_run_plan(options_)),
        timeline_(plan_) {
    report_.model = LoadModel::open;
    report_.duration = plan_.duration;
    report_.warmup = plan_.warmup;
    TargetReport target;
    target.name = "api";
    target.url = "http://127.0.0.1:9/";
    target.stats = TargetStats(2);
    target.endpoint_names = {"<checkout>", "health"};
    target.endpoint_weights = {1, 1};
    auto& checkout = target.stats.endpoints[0];
    record(checkout, 1200, {ErrorKind::none, 200}, std::chrono::milliseconds{3});
    record(checkout, 7, {ErrorKind::status, 503}, std::chrono::milliseconds{40});
    record(target.stats.endpoints[1], 27, {ErrorKind::timeout, 0}, std::chrono::seconds{2});
    target.endpoint_status_errors = {{{503, 7}}, {}};
    target.status_errors = {{503, 7}};
    target.stats.started = 1234;
    target.stats.schedule.due = 1240;
    target.stats.schedule.late = 11;
    target.stats.schedule.dropped_backlog_full = 6;
    target.total = target.stats.all_endpoints();
    target.scheduled = 1240;
    target.target_rate = 100;
    target.achieved_rate = 99.5;
    report_.targets.push_back(std::move(target));

    for (unsigned second = 1; second <= 3; ++second) {
      std::vector<IntervalStats> intervals(1);
      intervals[0].started = intervals[0].completed = 100;
      intervals[0].late = second;
      for (int i = 0; i < 100; ++i) intervals[0].latency.record(3'000'000);
      timeline_.add(second, intervals);
    }
    timeline_.finish();
  }

  [[nodiscard]] std::string page(const GateResult& gates = {}) const {
    return render_html_report(report_, timeline_, describe_run(plan_, options_), gates);
  }

  LoadOptions options_;
  RunPlan plan_;
  RunTimeline timeline_;
  RunReport report_;
};

TEST_F(HtmlReportTest, IsOneSelfContainedPageWithoutScript) {
  const std::string html = page();
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_TRUE(html.ends_with("</html>\n"));
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find(" href="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

TEST_F(HtmlReportTest, ShowsTheRequestCountInTheChartsAndTheTables) {
  const std::string html = page();
  // 1200 + 7 + 27 completed in the measured window.
  EXPECT_NE(html.find(">latency percentile spectrum (1234 requests)</text>"), std::string::npos);
  EXPECT_NE(html.find(">all: 1234 requests</text>"), std::string::npos);
  EXPECT_NE(html.find(">&lt;checkout&gt;: 1207 requests</text>"), std::string::npos);
  EXPECT_NE(html.find("<td>completed</td><td class=\"number\">1234</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>late</td><td class=\"number\">11</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>dropped (backlog full)</td><td class=\"number\">6</td>"),
            std::string::npos);
}

TEST_F(HtmlReportTest, SaysHowLongTheRunTookAndWhetherTheRequestCapEndedIt) {
  EXPECT_NE(page().find(", ran 3s, result"), std::string::npos);
  report_.duration = std::chrono::milliseconds{1500};
  report_.ended_by_request_cap = true;
  const std::string html = page();
  EXPECT_NE(html.find(", ran 1.5s (--requests reached), result"), std::string::npos);
  // The parameters still list what was asked for.
  EXPECT_NE(html.find("<td>duration</td><td>3s</td>"), std::string::npos);
}

TEST_F(HtmlReportTest, PlotsOnePointPerTimelinePointAndEveryChart) {
  const std::string html = page();
  EXPECT_NE(html.find("data-series=\"target\" data-points=\"3\""), std::string::npos);
  EXPECT_NE(html.find("data-series=\"achieved (sent)\" data-points=\"3\""), std::string::npos);
  EXPECT_NE(html.find("data-series=\"late\" data-points=\"3\""), std::string::npos);
  for (const char* title :
       {"request rate: target vs achieved", "latency over time (corrected, from scheduled send)",
        "service time over time (from actual send)", "errors, late and dropped requests"}) {
    EXPECT_NE(html.find(std::string("<title>") + title + "</title>"), std::string::npos) << title;
  }
  // The spectrum's x axis is labelled in percentiles; the checkout endpoint reaches past 99%.
  EXPECT_NE(html.find(">90%</text>"), std::string::npos);
  EXPECT_NE(html.find(">99%</text>"), std::string::npos);
  EXPECT_NE(html.find(">warm-up</text>"), std::string::npos);
}

TEST_F(HtmlReportTest, ListsErrorsByKindAndStatus) {
  const std::string html = page();
  // endpoint, requests, connect, timeout, reset, protocol, status, unexpected, all statuses.
  EXPECT_NE(html.find("<tr><td>&lt;checkout&gt;</td><td class=\"number\">1207</td><td "
                      "class=\"number\">0</td><td class=\"number\">0</td><td "
                      "class=\"number\">0</td><td class=\"number\">0</td><td "
                      "class=\"number\">7</td><td class=\"number\">503:7</td><td "
                      "class=\"number\">200:1200 503:7</td></tr>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<tr><td>health</td><td class=\"number\">27</td><td "
                      "class=\"number\">0</td><td class=\"number\">27</td>"),
            std::string::npos);
}

TEST_F(HtmlReportTest, ListsTheRunsParameters) {
  const std::string html = page();
  for (const char* row :
       {"<tr><td>model</td><td>open (arrival rate)</td></tr>",
        "<tr><td>target api</td><td>http://127.0.0.1:9/</td></tr>",
        "<tr><td>rate per target</td><td>100/s</td></tr>", "<tr><td>duration</td><td>3s</td></tr>",
        "<tr><td>warm-up</td><td>1s</td></tr>", "<tr><td>seed</td><td>42</td></tr>"}) {
    EXPECT_NE(html.find(row), std::string::npos) << row;
  }
}

TEST_F(HtmlReportTest, EscapesTextFromTheRunAndShowsGateFailures) {
  GateResult gates;
  gates.failures.push_back("api: error rate <script>2.74%</script>");
  const std::string html = page(gates);
  EXPECT_EQ(html.find("<checkout>"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"failed\">FAILED</span>"), std::string::npos);
  EXPECT_NE(html.find("<li>api: error rate &lt;script&gt;2.74%&lt;/script&gt;</li>"),
            std::string::npos);
}

}  // namespace
}  // namespace latencylab::loadgen
