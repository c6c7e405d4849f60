// Proofs of the service graphs' bounded resources, with services talking over loopback in this
// process: a database pool caps a route at N/S (Little's law) and queues, times out and refuses
// past it; a slow downstream fills its caller's connection pool and slows only the routes that
// call it; a route deadline cancels a pool waiter and a call in flight.
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>
#include <thread>

#include "config/graph_file.hpp"
#include "graph_loopback.hpp"
#include "snapshot_helpers.hpp"

namespace latencylab::testing {
namespace {

using namespace std::chrono_literals;
using telemetry::testing::histogram_of;
using telemetry::testing::point_with;
using telemetry::testing::sum_of;

std::int64_t total(const telemetry::SumData& sum) {
  std::int64_t n = 0;
  for (const auto& point : sum.points) n += std::get<std::int64_t>(point.value);
  return n;
}

// `orders` owns a pool of 4 connections; GET /q holds one for 50 ms. `front` calls it.
constexpr std::string_view kPoolGraph = R"({
  "services": {
    "front": {
      "downstreams": {"orders": {"service": "orders", "connections": 64, "timeout_ms": 10000,
                                 "retry": {"max_attempts": 1}}},
      "routes": [{"method": "GET", "path": "/q",
                  "steps": [{"call": {"downstream": "orders", "path": "/q"}}]}]
    },
    "orders": {
      "databases": {
        "main": {"pool_size": 4, "max_waiting": 1000, "acquire_timeout_ms": 10000},
        "tight": {"pool_size": 4, "max_waiting": 8, "acquire_timeout_ms": 30}
      },
      "routes": [
        {"method": "GET", "path": "/q", "steps": [
          {"db": {"database": "main", "operation": "SELECT", "collection": "items",
                  "latency": {"fixed": {"value_ms": 50}}}}]},
        {"method": "GET", "path": "/tight", "steps": [
          {"db": {"database": "tight", "operation": "SELECT", "collection": "items",
                  "latency": {"fixed": {"value_ms": 50}}}}]}
      ]
    }
  }
})";

constexpr int kPoolSize = 4;
constexpr double kQuerySeconds = 0.050;

TEST(GraphSaturation, PoolCapsThroughputAtLittlesLawAndQueuesPastIt) {
  const config::Graph graph = config::parse_graph(kPoolGraph, "pool graph");
  auto peaks = std::make_shared<PeakExporter::Peaks>();
  auto orders =
      start_service(graph.service("orders"), {}, 1.0, std::make_unique<PeakExporter>(peaks));
  auto front =
      start_service(graph.service("front"), {{"orders", loopback_url(orders->port())}}, 1.0);

  // 32 clients through the front service, 8 times the pool.
  const LoadResult load = closed_loop(front->port(), "/q", 32, 2000ms);
  front->stop();
  orders->stop();

  const double seconds = std::chrono::duration<double>(load.elapsed).count();
  const double cap = kPoolSize / kQuerySeconds;  // N/S = 80 per second
  const auto completed = static_cast<double>(load.count(200));
  EXPECT_EQ(load.count(200), load.answers.size()) << "every answer is a 200";
  // Each completion held a connection for S within the run: at most N * elapsed / S of them.
  EXPECT_LE(completed, kPoolSize * seconds / kQuerySeconds + kPoolSize);
  EXPECT_GE(completed, 0.7 * cap * seconds);
  // Every answer waited at least a query's latency (timers never fire early).
  EXPECT_GE(load.latency_ms(200, 0.0), 50.0);

  const auto snapshot = orders->service().meter().collect();
  const auto* wait = point_with(histogram_of(snapshot, "db.client.connection.wait_time").points,
                                {{"db.client.connection.pool.name", "main"}});
  ASSERT_NE(wait, nullptr);
  EXPECT_GE(wait->count, load.count(200));
  const double mean_wait_ms = 1000.0 * wait->sum / static_cast<double>(wait->count);
  // 32 clients over 4 connections: 28 wait about 7 queries (350 ms) in the steady state.
  EXPECT_GT(mean_wait_ms, 100.0);
  {
    const std::scoped_lock lock(peaks->mutex);
    EXPECT_GT(peaks->peak["db.client.connection.pending_requests"], 0);
  }
  EXPECT_EQ(total(sum_of(snapshot, "db.client.connection.pending_requests")), 0)
      << "no waiter left behind";

  std::ostringstream figures;
  figures << "pool " << kPoolSize << " x " << kQuerySeconds * 1000 << " ms, 32 clients, " << seconds
          << " s: " << completed / seconds << " req/s (N/S = " << cap << ", share "
          << completed / seconds / cap << "), mean wait " << mean_wait_ms << " ms, max wait "
          << wait->max.value_or(0) * 1000 << " ms, peak pending "
          << peaks->peak["db.client.connection.pending_requests"];
  std::cout << "[saturation] " << figures.str() << '\n';
  RecordProperty("saturation", figures.str());
}

TEST(GraphSaturation, AcquireTimeoutsAnswer503PoolTimeout) {
  const config::Graph graph = config::parse_graph(kPoolGraph, "pool graph");
  auto orders = start_service(graph.service("orders"), {}, 1.0);

  // 160 requests per second (2 N/S: 32 clients, one request per 200 ms each) on a pool of 4 that
  // lets 8 wait at most 30 ms for a 50 ms query.
  const LoadResult load = closed_loop(orders->port(), "/tight", 32, 2000ms, 200ms);
  orders->stop();

  const std::size_t refused = load.count(503, "pool_timeout");
  EXPECT_EQ(load.count(503), refused) << "every 503 names pool_timeout";
  EXPECT_EQ(load.count(200) + refused, load.answers.size());
  EXPECT_GT(refused, 0U);
  const double seconds = std::chrono::duration<double>(load.elapsed).count();
  EXPECT_LE(static_cast<double>(load.count(200)), kPoolSize * seconds / kQuerySeconds + kPoolSize);

  const auto snapshot = orders->service().meter().collect();
  const auto timeouts = total(sum_of(snapshot, "db.client.connection.timeouts"));
  // An acquire timeout counts; a refusal because the queue is full does not. A client's last
  // request may have timed out after the run ended, uncounted by the client: 32 at most.
  EXPECT_GT(timeouts, 0);
  EXPECT_LE(static_cast<std::size_t>(timeouts), refused + 32);
  // The server's own record names the cause, not just the status (the same 32 uncounted at most).
  const std::uint64_t recorded = server_requests(snapshot, "/tight", 503, "pool_timeout");
  EXPECT_GE(recorded, refused);
  EXPECT_LE(recorded, refused + 32);
  EXPECT_EQ(server_requests(snapshot, "/tight", 503, "503"), 0U);

  std::ostringstream figures;
  figures << "pool 4 x 50 ms, max_waiting 8, acquire timeout 30 ms, offered 160 req/s (2 N/S), "
          << seconds << " s: " << load.count(200) / seconds << " ok/s, 503 share "
          << static_cast<double>(refused) / static_cast<double>(load.answers.size()) << " ("
          << refused << " of " << load.answers.size() << ", acquire timeouts " << timeouts
          << " counted by the pool)";
  std::cout << "[saturation] " << figures.str() << '\n';
  RecordProperty("pool_timeouts", figures.str());
}

// `front` reaches `slow` (200 ms per answer) over 2 connections; its /fast route calls nothing.
constexpr std::string_view kCascadeGraph = R"({
  "services": {
    "front": {
      "downstreams": {"slow": {"service": "slow", "connections": 2, "timeout_ms": 10000,
                               "retry": {"max_attempts": 1}}},
      "routes": [
        {"method": "GET", "path": "/via-slow",
         "steps": [{"call": {"downstream": "slow", "path": "/slow"}}]},
        {"method": "GET", "path": "/fast", "steps": [{"delay": {"fixed": {"value_ms": 1}}}]}
      ]
    },
    "slow": {
      "routes": [{"method": "GET", "path": "/slow",
                  "steps": [{"delay": {"fixed": {"value_ms": 200}}}]}]
    }
  }
})";

TEST(GraphSaturation, SlowDownstreamFillsTheCallersPoolAndSlowsOnlyItsRoute) {
  const config::Graph graph = config::parse_graph(kCascadeGraph, "cascade graph");
  auto slow = start_service(graph.service("slow"), {}, 1.0);
  auto front = start_service(graph.service("front"), {{"slow", loopback_url(slow->port())}}, 1.0);

  // 16 clients on /via-slow share the caller's 2 connections to `slow` while /fast is sampled.
  LoadResult via_slow;
  std::thread load([&] { via_slow = closed_loop(front->port(), "/via-slow", 16, 2000ms); });
  std::vector<Answer> fast;
  std::this_thread::sleep_for(300ms);  // past the first answers: the pool is full
  for (int i = 0; i < 20; ++i) {
    fast.push_back(request_once(front->port(), "GET", "/fast"));
    std::this_thread::sleep_for(50ms);
  }
  load.join();
  front->stop();
  slow->stop();

  ASSERT_GT(via_slow.count(200), 0U);
  EXPECT_EQ(via_slow.count(200), via_slow.answers.size());
  // 2 connections x 200 ms: at most 10 calls per second, so 16 clients wait ~1.6 s each in the
  // steady state; every call took at least the callee's 200 ms (timers never fire early).
  const double slow_min = via_slow.latency_ms(200, 0.0);
  const double slow_median = via_slow.latency_ms(200, 0.5);
  EXPECT_GE(slow_min, 200.0);
  EXPECT_GE(slow_median, 600.0) << "the calls queued for the caller's connections";
  double fast_max = 0.0;
  for (const Answer& answer : fast) {
    EXPECT_EQ(answer.status, 200U);
    fast_max =
        std::max(fast_max, std::chrono::duration<double, std::milli>(answer.latency).count());
  }
  EXPECT_LT(fast_max, slow_min / 2) << "the route that does not call `slow` stays fast";

  std::ostringstream figures;
  figures << "downstream 2 connections x 200 ms, 16 clients: /via-slow min " << slow_min
          << " ms, median " << slow_median << " ms; /fast max " << fast_max << " ms";
  std::cout << "[cascade] " << figures.str() << '\n';
  RecordProperty("cascade", figures.str());
}

// `front`'s pool `main` has one connection; its deadline routes wait for it or for `slow`.
constexpr std::string_view kDeadlineGraph = R"({
  "services": {
    "front": {
      "databases": {"main": {"pool_size": 1, "max_waiting": 10, "acquire_timeout_ms": 10000}},
      "downstreams": {"slow": {"service": "slow", "connections": 4, "timeout_ms": 10000,
                               "retry": {"max_attempts": 1}}},
      "routes": [
        {"method": "GET", "path": "/hold",
         "steps": [{"db": {"database": "main", "latency": {"fixed": {"value_ms": 500}}}}]},
        {"method": "GET", "path": "/quick", "steps": [{"db": {"database": "main"}}]},
        {"method": "GET", "path": "/deadline-db", "timeout_ms": 100,
         "steps": [{"db": {"database": "main"}}]},
        {"method": "GET", "path": "/deadline-call", "timeout_ms": 100,
         "steps": [{"call": {"downstream": "slow", "path": "/slow"}}]}
      ]
    },
    "slow": {
      "routes": [{"method": "GET", "path": "/slow",
                  "steps": [{"delay": {"fixed": {"value_ms": 1000}}}]}]
    }
  }
})";

TEST(GraphSaturation, RouteDeadlineCancelsThePoolWaiterAndTheCall) {
  const config::Graph graph = config::parse_graph(kDeadlineGraph, "deadline graph");
  auto slow = start_service(graph.service("slow"), {}, 1.0);
  auto front = start_service(graph.service("front"), {{"slow", loopback_url(slow->port())}}, 1.0);

  Answer hold;
  std::thread holder([&] { hold = request_once(front->port(), "GET", "/hold"); });
  std::this_thread::sleep_for(100ms);  // /hold has the only connection for 500 ms
  const Answer waited = request_once(front->port(), "GET", "/deadline-db");
  // Queued behind the cancelled waiter if it had stayed: gets the connection after /hold.
  const Answer quick = request_once(front->port(), "GET", "/quick");
  holder.join();
  const Answer called = request_once(front->port(), "GET", "/deadline-call");
  front->stop();
  slow->stop();

  EXPECT_EQ(hold.status, 200U);
  EXPECT_EQ(waited.status, 504U);
  EXPECT_EQ(waited.error, "timeout");
  EXPECT_GE(waited.latency, 100ms);
  EXPECT_EQ(quick.status, 200U);
  EXPECT_EQ(called.status, 504U);
  EXPECT_EQ(called.error, "timeout");
  EXPECT_GE(called.latency, 100ms);
  EXPECT_LT(called.latency, 1000ms) << "answered at the deadline, not after the callee";

  const auto snapshot = front->service().meter().collect();
  EXPECT_EQ(server_requests(snapshot, "/deadline-db", 504, "timeout"), 1U);
  EXPECT_EQ(server_requests(snapshot, "/deadline-call", 504, "timeout"), 1U);
  EXPECT_EQ(total(sum_of(snapshot, "db.client.connection.pending_requests")), 0);
  const auto* wait = point_with(histogram_of(snapshot, "db.client.connection.wait_time").points,
                                {{"db.client.connection.pool.name", "main"}});
  ASSERT_NE(wait, nullptr);
  EXPECT_EQ(wait->count, 2U) << "/hold and /quick acquired; the cancelled waiter never did";
  EXPECT_EQ(total(sum_of(snapshot, "db.client.connection.timeouts")), 0);
  // The call in flight was abandoned: the client recorded it as cancelled.
  std::uint64_t cancelled = 0;
  for (const auto& point : histogram_of(snapshot, "http.client.request.duration").points) {
    const telemetry::AttributeValue* error =
        telemetry::find_attribute(point.attributes, "error.type");
    if (error != nullptr && *error == telemetry::AttributeValue{"cancelled"})
      cancelled += point.count;
  }
  EXPECT_EQ(cancelled, 1U);
}

}  // namespace
}  // namespace latencylab::testing
