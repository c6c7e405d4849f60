#include "telemetry/request_guard.hpp"

#include <gtest/gtest.h>

#include "snapshot_helpers.hpp"

namespace latencylab::telemetry {
namespace {

using namespace std::chrono_literals;
using testing::histogram_of;
using testing::point_with;
using testing::sum_of;

std::chrono::steady_clock::time_point g_now{};
std::chrono::steady_clock::time_point fake_now() noexcept {
  return g_now;
}

class RequestGuardTest : public ::testing::Test {
 protected:
  RequestGuardTest() : http(meter, {"/health", "/api/orders/{id}"}, "http", &fake_now) {}

  std::int64_t active(std::string_view method) {
    auto snapshot = meter.collect();
    const auto& points = sum_of(snapshot, "http.server.active_requests").points;
    const auto* point =
        point_with(points, {{"http.request.method", std::string(method)}, {"url.scheme", "http"}});
    return point == nullptr ? -1 : std::get<std::int64_t>(point->value);
  }

  Meter meter;
  HttpServerMetrics http;
};

TEST_F(RequestGuardTest, NormalRequestRecordsDurationSizesAndSemconvAttributes) {
  {
    RequestGuard guard(http, HttpMethod::get, HttpProtocolVersion::http_1_1);
    guard.set_request_body_size(12);
    EXPECT_EQ(active("GET"), 1);
    g_now += 30ms;
    guard.set_route(1);
    guard.set_response(200, 345);
  }
  auto snapshot = meter.collect();
  const AttributeList expected = {{"http.request.method", "GET"},
                                  {"http.route", "/api/orders/{id}"},
                                  {"http.response.status_code", std::int64_t{200}},
                                  {"network.protocol.version", "1.1"},
                                  {"url.scheme", "http"}};

  const auto& duration = histogram_of(snapshot, "http.server.request.duration");
  ASSERT_EQ(duration.points.size(), 1u);
  const auto* d = point_with(duration.points, expected);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->count, 1u);
  EXPECT_NEAR(d->sum, 0.030, 1e-9);
  EXPECT_EQ(d->bucket_counts[3], 1u) << "0.030 s belongs to (0.025, 0.05]";

  const auto* request_size =
      point_with(histogram_of(snapshot, "http.server.request.body.size").points, expected);
  ASSERT_NE(request_size, nullptr);
  EXPECT_DOUBLE_EQ(request_size->sum, 12.0);
  const auto* response_size =
      point_with(histogram_of(snapshot, "http.server.response.body.size").points, expected);
  ASSERT_NE(response_size, nullptr);
  EXPECT_DOUBLE_EQ(response_size->sum, 345.0);

  EXPECT_EQ(active("GET"), 0);
}

TEST_F(RequestGuardTest, ServerErrorsCarryTheStatusCodeAsErrorType) {
  {
    RequestGuard guard(http, HttpMethod::post, HttpProtocolVersion::http_1_1);
    guard.set_route(0);
    guard.set_response(503, 20);
  }
  {
    RequestGuard guard(http, HttpMethod::post, HttpProtocolVersion::http_1_1);
    guard.set_route(0);
    guard.set_response(404, 20);  // a client error is not a server error: no error.type
  }
  auto snapshot = meter.collect();
  const auto& points = histogram_of(snapshot, "http.server.request.duration").points;
  EXPECT_NE(point_with(points, {{"http.request.method", "POST"},
                                {"http.route", "/health"},
                                {"http.response.status_code", std::int64_t{503}},
                                {"error.type", "503"},
                                {"network.protocol.version", "1.1"},
                                {"url.scheme", "http"}}),
            nullptr);
  EXPECT_NE(point_with(points, {{"http.request.method", "POST"},
                                {"http.route", "/health"},
                                {"http.response.status_code", std::int64_t{404}},
                                {"network.protocol.version", "1.1"},
                                {"url.scheme", "http"}}),
            nullptr);
}

TEST_F(RequestGuardTest, AFailureCauseIsTheErrorTypeWhateverTheStatus) {
  const auto request = [this](unsigned status, FailureCause cause) {
    RequestGuard guard(http, HttpMethod::get, HttpProtocolVersion::http_1_1);
    guard.set_route(1);
    guard.set_failure_cause(cause);
    guard.set_response(status, 10);
  };
  request(503, FailureCause::pool_timeout);
  request(503, FailureCause::pool_timeout);
  request(503, FailureCause::circuit_open);
  request(429, FailureCause::pool_timeout);  // a graph may map a cause to any status
  request(503, FailureCause::none);
  auto snapshot = meter.collect();
  const auto& points = histogram_of(snapshot, "http.server.request.duration").points;
  const auto with = [&points](std::int64_t status, std::string error_type) {
    const auto* point = point_with(points, {{"http.request.method", "GET"},
                                            {"http.route", "/api/orders/{id}"},
                                            {"http.response.status_code", status},
                                            {"error.type", std::move(error_type)},
                                            {"network.protocol.version", "1.1"},
                                            {"url.scheme", "http"}});
    return point == nullptr ? std::uint64_t{0} : point->count;
  };
  EXPECT_EQ(with(503, "pool_timeout"), 2u) << "one series per (status, cause), reused";
  EXPECT_EQ(with(503, "circuit_open"), 1u);
  EXPECT_EQ(with(429, "pool_timeout"), 1u);
  EXPECT_EQ(with(503, "503"), 1u) << "no cause: the status code, as before";
  EXPECT_EQ(points.size(), 4u);
}

TEST_F(RequestGuardTest, AFailureCauseWithoutAResponseIsAResponseNotSent) {
  {
    RequestGuard guard(http, HttpMethod::get, HttpProtocolVersion::http_1_1);
    guard.set_route(0);
    guard.set_failure_cause(FailureCause::timeout);
  }  // the answer could not be written
  auto snapshot = meter.collect();
  EXPECT_NE(point_with(histogram_of(snapshot, "http.server.request.duration").points,
                       {{"http.request.method", "GET"},
                        {"http.route", "/health"},
                        {"error.type", std::string(kErrorTypeResponseNotSent)},
                        {"network.protocol.version", "1.1"},
                        {"url.scheme", "http"}}),
            nullptr);
}

TEST_F(RequestGuardTest, GuardWithoutResponseIsADroppedConnection) {
  {
    RequestGuard guard(http, HttpMethod::get, HttpProtocolVersion::http_1_0);
    guard.set_route(0);
    g_now += 2s;
  }  // the connection died before a response was written
  auto snapshot = meter.collect();
  const AttributeList expected = {{"http.request.method", "GET"},
                                  {"http.route", "/health"},
                                  {"error.type", std::string(kErrorTypeResponseNotSent)},
                                  {"network.protocol.version", "1.0"},
                                  {"url.scheme", "http"}};
  const auto* d =
      point_with(histogram_of(snapshot, "http.server.request.duration").points, expected);
  ASSERT_NE(d, nullptr);
  EXPECT_DOUBLE_EQ(d->sum, 2.0);
  EXPECT_EQ(testing::find_metric(snapshot, "http.server.response.body.size"), nullptr)
      << "no response was sent, so there is no response body size";
  EXPECT_EQ(active("GET"), 0);
}

TEST_F(RequestGuardTest, UnmatchedRequestsHaveNoRouteAndUnknownMethodsAreOther) {
  {
    RequestGuard guard(http, HttpMethod::other, HttpProtocolVersion::http_1_1);
    guard.set_route(7);  // out of range: ignored, never a wrong route
    guard.set_response(404, 0);
  }
  auto snapshot = meter.collect();
  const auto& points = histogram_of(snapshot, "http.server.request.duration").points;
  EXPECT_NE(point_with(points, {{"http.request.method", "_OTHER"},
                                {"http.response.status_code", std::int64_t{404}},
                                {"network.protocol.version", "1.1"},
                                {"url.scheme", "http"}}),
            nullptr);
}

TEST_F(RequestGuardTest, RepeatedCombinationsShareOneSeries) {
  for (int i = 0; i < 5; ++i) {
    RequestGuard guard(http, HttpMethod::get, HttpProtocolVersion::http_1_1);
    guard.set_route(0);
    guard.set_response(200, 2);
  }
  auto snapshot = meter.collect();
  const auto& points = histogram_of(snapshot, "http.server.request.duration").points;
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].count, 5u);
}

TEST_F(RequestGuardTest, ActiveRequestsCountsOverlappingRequests) {
  auto first = std::make_unique<RequestGuard>(http, HttpMethod::get, HttpProtocolVersion::http_1_1);
  auto second =
      std::make_unique<RequestGuard>(http, HttpMethod::get, HttpProtocolVersion::http_1_1);
  EXPECT_EQ(active("GET"), 2);
  first.reset();
  EXPECT_EQ(active("GET"), 1);
  second.reset();
  EXPECT_EQ(active("GET"), 0);
}

TEST_F(RequestGuardTest, StatusOutsideHttpRangeIsReportedAsOtherError) {
  {
    RequestGuard guard(http, HttpMethod::get, HttpProtocolVersion::http_1_1);
    guard.set_response(42, 0);
  }
  auto snapshot = meter.collect();
  EXPECT_NE(point_with(histogram_of(snapshot, "http.server.request.duration").points,
                       {{"http.request.method", "GET"},
                        {"error.type", "_OTHER"},
                        {"network.protocol.version", "1.1"},
                        {"url.scheme", "http"}}),
            nullptr);
}

// Disabled metrics have no instruments and no series tables: a guard that recorded anyway would
// index an empty table (caught by the sanitizers of the test build).
TEST(DisabledHttpServerMetrics, GuardsOnThemDoNothing) {
  HttpServerMetrics disabled;
  EXPECT_FALSE(disabled.enabled());
  RequestGuard guard(disabled, HttpMethod::get, HttpProtocolVersion::http_1_1);
  guard.set_route(0);
  guard.set_response(200, 2);
}

TEST(HttpMethod, NamesFollowTheSemanticConventions) {
  EXPECT_EQ(http_method_name(HttpMethod::delete_), "DELETE");
  EXPECT_EQ(http_method_name(HttpMethod::options), "OPTIONS");
  EXPECT_EQ(http_method_name(HttpMethod::other), "_OTHER");
  EXPECT_EQ(http_protocol_version_name(http_protocol_version_from_number(10)), "1.0");
  EXPECT_EQ(http_protocol_version_name(http_protocol_version_from_number(11)), "1.1");
}

}  // namespace
}  // namespace latencylab::telemetry
