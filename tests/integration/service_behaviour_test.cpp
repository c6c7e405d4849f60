// The service as a whole: concurrency on one thread, configured error rates, the connection cap,
// graceful drain and the metrics every request leaves behind.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cmath>
#include <csignal>
#include <future>
#include <thread>

#include "core/asio.hpp"
#include "service_fixture.hpp"
#include "telemetry/attributes.hpp"

namespace latencylab::testing {
namespace {

using namespace std::chrono_literals;
using asio::ip::tcp;

// One GET per coroutine, all at once, from a client io_context on the test thread.
struct ConcurrentGets {
  int ok = 0;
  int failed = 0;
};

ConcurrentGets concurrent_gets(std::uint16_t port, std::string target, int count) {
  asio::io_context io{1};
  ConcurrentGets result;
  for (int i = 0; i < count; ++i) {
    asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
          tcp::socket socket(io);
          auto [connect_ec] = co_await socket.async_connect(
              {asio::ip::make_address("127.0.0.1"), port}, use_nothrow);
          beast_http::request<beast_http::empty_body> request{beast_http::verb::get, target, 11};
          request.set(beast_http::field::host, "127.0.0.1");
          auto [write_ec, written] = co_await beast_http::async_write(socket, request, use_nothrow);
          beast::flat_buffer buffer;
          Response response;
          auto [read_ec, read] =
              co_await beast_http::async_read(socket, buffer, response, use_nothrow);
          const bool good = !connect_ec && !write_ec && !read_ec && response.result_int() == 200;
          (good ? result.ok : result.failed) += 1;
        },
        asio::detached);
  }
  io.run();
  return result;
}

TEST(ServiceBehaviourTest, ThousandsOfConcurrentSlowRequestsCompleteOnOneThread) {
  // 3-5 s scaled to 30-50 ms: every request is in flight at the same time.
  ServiceFixture service{[](app::ServiceOptions& options) { options.config.time_scale = 0.01; }};
  constexpr int kRequests = 3000;
  const auto result = concurrent_gets(service.port(), "/api/slow", kRequests);
  EXPECT_EQ(result.ok, kRequests);
  EXPECT_EQ(result.failed, 0);
}

// The share of 5xx under a fixed seed lies within 4 standard deviations of the configured rate.
TEST(ServiceBehaviourTest, ErrorRateMatchesConfigurationWithinStatisticalBounds) {
  constexpr double kRate = 0.2;
  constexpr int kRequests = 1500;
  const GraphFile graph("reports_failing", [&](config::Service& service) {
    for (auto& route : service.routes) {
      if (route.path != "/api/reports") continue;
      for_each_fail_step(route.steps, [&](config::FailStep& fail) {
        fail.probability = kRate;
        fail.status = 503;
      });
    }
  });
  ServiceFixture service{
      [&](app::ServiceOptions& options) { options.config.graph = graph.path(); }};
  int failures = 0;
  auto socket = service.connect();
  beast::flat_buffer buffer;
  for (int i = 0; i < kRequests; ++i) {
    beast_http::request<beast_http::empty_body> request{beast_http::verb::get, "/api/reports", 11};
    request.set(beast_http::field::host, "x");
    beast_http::write(socket, request);
    Response response;
    beast_http::read(socket, buffer, response);
    ASSERT_TRUE(response.result_int() == 200 || response.result_int() == 503);
    failures += response.result_int() == 503 ? 1 : 0;
  }
  const double sigma = std::sqrt(kRequests * kRate * (1 - kRate));
  EXPECT_NEAR(failures, kRequests * kRate, 4 * sigma);
}

TEST(ServiceBehaviourTest, OverTheConnectionCapClientsGetA503WithRetryAfter) {
  ServiceFixture service{[](app::ServiceOptions& options) {
    options.config.server.max_connections = 2;
    options.config.server.retry_after_s = 7;
  }};
  // Two connections held open (and known to be registered: each got an answer).
  auto first = service.connect();
  auto second = service.connect();
  ASSERT_EQ(
      exchange_raw(first, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 0ms).response.result_int(),
      200);
  ASSERT_EQ(
      exchange_raw(second, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 0ms).response.result_int(),
      200);
  auto third = service.connect();
  beast::flat_buffer buffer;
  Response response;
  beast_http::read(third, buffer, response);  // sent without reading a request
  EXPECT_EQ(response.result_int(), 503);
  EXPECT_EQ(response[beast_http::field::retry_after], "7");
  EXPECT_FALSE(response.keep_alive());
  // Freeing a slot lets the next client in.
  first.close();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(service.request(beast_http::verb::get, "/health").result_int(), 200);
}

TEST(ServiceBehaviourTest, SigtermDrainsInFlightRequestsThenStops) {
  ServiceFixture service{[](app::ServiceOptions& options) {
    options.config.time_scale = 0.1;  // /api/slow takes 300-500 ms
    options.handle_signals = true;
  }};
  auto in_flight = std::async(std::launch::async,
                              [&] { return concurrent_gets(service.port(), "/api/slow", 20); });
  auto idle = service.connect();       // an idle keep-alive connection is closed by the drain
  std::this_thread::sleep_for(150ms);  // the slow requests are now inside their handlers
  std::raise(SIGTERM);
  const auto result = in_flight.get();
  EXPECT_EQ(result.ok, 20);
  EXPECT_TRUE(closed_within(idle, 2s));
  service.stop();  // returns because run() finished draining
  // New connections are refused once the listener stopped.
  asio::io_context io;
  tcp::socket late(io);
  boost::system::error_code ec;
  late.connect({asio::ip::make_address("127.0.0.1"), service.port()}, ec);
  EXPECT_TRUE(ec);
}

// The duration histogram counts every request once, under its route template and status.
TEST(ServiceBehaviourTest, EveryRequestIsMeasuredUnderItsRouteTemplate) {
  ServiceFixture service;  // GET /api/orders/{id} has no fail step in the default graph
  constexpr int kRequests = 25;
  for (int i = 0; i < kRequests; ++i) {
    EXPECT_EQ(
        service.request(beast_http::verb::get, "/api/orders/ORD-" + std::to_string(i)).result_int(),
        404);
  }
  service.stop();
  const telemetry::MetricsSnapshot snapshot = service.service().meter().collect();
  std::uint64_t counted = 0;
  for (const auto& metric : snapshot.metrics) {
    if (metric.name != "http.server.request.duration") continue;
    for (const auto& point : std::get<telemetry::HistogramData>(metric.data).points) {
      const auto* route = telemetry::find_attribute(point.attributes, "http.route");
      const auto* status = telemetry::find_attribute(point.attributes, "http.response.status_code");
      if (route != nullptr && std::get<std::string>(*route) == "/api/orders/{id}") {
        ASSERT_NE(status, nullptr);
        EXPECT_EQ(std::get<std::int64_t>(*status), 404);
        counted += point.count;
      }
    }
  }
  EXPECT_EQ(counted, static_cast<std::uint64_t>(kRequests));
}

}  // namespace
}  // namespace latencylab::testing
