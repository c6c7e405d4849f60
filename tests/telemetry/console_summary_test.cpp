// OTEL_METRICS_EXPORTER=summary: the human lines per export, from synthetic snapshots in either
// temporality. Bounds {10ms, 100ms, 1s} keep the interpolated percentiles easy to check by hand.
#include "telemetry/console_summary.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "telemetry/attributes.hpp"

namespace latencylab::telemetry {
namespace {

constexpr std::uint64_t kSecond = 1'000'000'000;
constexpr std::uint64_t kStart = 1'790'000'000 * kSecond;  // 14:13:20 UTC

HistogramPoint duration_point(const std::string& method, const std::string& route,
                              std::int64_t status, std::vector<std::uint64_t> buckets,
                              std::uint64_t start, std::uint64_t time) {
  HistogramPoint p;
  AttributeList attributes{{"http.request.method", method},
                           {"http.route", route},
                           {"http.response.status_code", status}};
  if (status >= 500) attributes.push_back({"error.type", std::to_string(status)});
  p.attributes = make_attributes(std::move(attributes));
  p.start_time_unix_nano = start;
  p.time_unix_nano = time;
  p.explicit_bounds = {0.01, 0.1, 1.0};
  p.bucket_counts = std::move(buckets);
  for (const auto c : p.bucket_counts) p.count += c;
  return p;
}

MetricsSnapshot snapshot_of(std::vector<HistogramPoint> points, Temporality temporality,
                            std::int64_t active = 0) {
  MetricsSnapshot s;
  s.metrics.push_back(MetricData{"http.server.request.duration", "", "s",
                                 HistogramData{std::move(points), temporality}});
  s.metrics.push_back(MetricData{
      "http.server.active_requests", "", "{request}",
      SumData{{NumberPoint{{}, kStart, kStart, active}}, Temporality::cumulative, false}});
  return s;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t from = 0;
  for (auto end = text.find('\n'); end != std::string::npos; end = text.find('\n', from)) {
    lines.push_back(text.substr(from, end - from));
    from = end + 1;
  }
  EXPECT_EQ(from, text.size()) << "the text ends with a newline";
  return lines;
}

TEST(ConsoleSummary, OneLinePerRouteWithRateErrorsAndPercentiles) {
  const auto end = kStart + 10 * kSecond;
  ConsoleSummary summary;
  const auto lines = lines_of(summary.render(
      snapshot_of({duration_point("GET", "/api/users", 200, {20, 60, 20, 0}, kStart, end),
                   duration_point("POST", "/api/orders", 201, {16, 0, 0, 0}, kStart, end),
                   duration_point("POST", "/api/orders", 500, {0, 0, 0, 4}, kStart, end)},
                  Temporality::delta, 3)));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "14:13:30  120 requests in 10s (12.0/s)  4 errors (3.33%)  active 3");
  EXPECT_EQ(lines[1],
            "  route                             requests    rate/s  errors       p50"
            "       p99");
  // Routes in name order. /api/users: p50 is halfway into (10ms, 100ms], p99 at 95% of
  // (100ms, 1s]. /api/orders: the failures fell beyond the last bound, reported at 1s.
  EXPECT_EQ(lines[2],
            "  GET /api/users                         100      10.0       0      55ms"
            "     955ms");
  EXPECT_EQ(lines[3],
            "  POST /api/orders                        20       2.0       4    6.25ms"
            "        1s");
}

TEST(ConsoleSummary, CumulativePointsCountOnlyWhatHappenedSinceTheLastLine) {
  ConsoleSummary summary;
  (void)summary.render(snapshot_of(
      {duration_point("GET", "/api/users", 200, {10, 0, 0, 0}, kStart, kStart + 10 * kSecond),
       duration_point("GET", "/health", 200, {5, 0, 0, 0}, kStart, kStart + 10 * kSecond)},
      Temporality::cumulative));
  const auto lines = lines_of(summary.render(snapshot_of(
      {duration_point("GET", "/api/users", 200, {10, 30, 0, 0}, kStart, kStart + 20 * kSecond),
       duration_point("GET", "/health", 200, {5, 0, 0, 0}, kStart, kStart + 20 * kSecond),
       duration_point("GET", "/api/users", 503, {0, 2, 0, 0}, kStart, kStart + 20 * kSecond)},
      Temporality::cumulative)));
  ASSERT_EQ(lines.size(), 3u) << "/health had no request in this interval";
  // 30 more 200s and 2 new 503s over the 10 s since the last line, not 47 over 20 s; all 32 in
  // (10ms, 100ms]: p50 halfway, p99 at 99% of it.
  EXPECT_EQ(lines[0], "14:13:40  32 requests in 10s (3.2/s)  2 errors (6.25%)  active 0");
  EXPECT_EQ(lines[2],
            "  GET /api/users                          32       3.2       2      55ms"
            "    99.1ms");
}

TEST(ConsoleSummary, ASeriesThatWentBackwardsCountsWhole) {
  ConsoleSummary summary;
  (void)summary.render(snapshot_of(
      {duration_point("GET", "/health", 200, {50, 0, 0, 0}, kStart, kStart + 10 * kSecond)},
      Temporality::cumulative));
  const std::string text = summary.render(snapshot_of(
      {duration_point("GET", "/health", 200, {7, 0, 0, 0}, kStart, kStart + 20 * kSecond)},
      Temporality::cumulative));
  EXPECT_NE(text.find("  7 requests"), std::string::npos) << text;
}

TEST(ConsoleSummary, SaysSoWhenNothingHappened) {
  ConsoleSummary summary;
  EXPECT_EQ(summary.render(snapshot_of({duration_point("GET", "/health", 200, {0, 0, 0, 0}, kStart,
                                                       kStart + 10 * kSecond)},
                                       Temporality::cumulative, 1)),
            "14:13:30  no requests in the last 10s  active 1\n");
  EXPECT_EQ(summary.render(MetricsSnapshot{}), "--:--:--  no requests  active 0\n");
}

}  // namespace
}  // namespace latencylab::telemetry
