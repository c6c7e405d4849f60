// Proofs of the service graphs' bounded resources, with services talking over loopback in this
// process: a database pool caps a route at N/S (Little's law) and queues, times out and refuses
// past it; a slow downstream fills its caller's connection pool and slows only the routes that
// call it; a route deadline cancels a pool waiter and a call in flight.
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

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

  // 32 clients on a pool of 4 that lets 8 wait at most 30 ms for a 50 ms query.
  const LoadResult load = closed_loop(orders->port(), "/tight", 32, 1500ms);
  orders->stop();

  const std::size_t refused = load.count(503, "pool_timeout");
  EXPECT_EQ(load.count(503), refused) << "every 503 names pool_timeout";
  EXPECT_EQ(load.count(200) + refused, load.answers.size());
  EXPECT_GT(refused, 0U);
  const double seconds = std::chrono::duration<double>(load.elapsed).count();
  EXPECT_LE(static_cast<double>(load.count(200)), kPoolSize * seconds / kQuerySeconds + kPoolSize);

  const auto snapshot = orders->service().meter().collect();
  const auto timeouts = total(sum_of(snapshot, "db.client.connection.timeouts"));
  // An acquire timeout counts; a refusal because the queue is full does not.
  EXPECT_GT(timeouts, 0);
  EXPECT_LE(static_cast<std::size_t>(timeouts), refused);

  std::ostringstream figures;
  figures << "pool 4 x 50 ms, max_waiting 8, acquire timeout 30 ms, 32 clients, " << seconds
          << " s: " << load.count(200) / seconds << " ok/s, 503 share "
          << static_cast<double>(refused) / static_cast<double>(load.answers.size()) << " ("
          << refused << " of " << load.answers.size() << ", acquire timeouts " << timeouts
          << ", queue full " << static_cast<std::int64_t>(refused) - timeouts << ")";
  std::cout << "[saturation] " << figures.str() << '\n';
  RecordProperty("pool_timeouts", figures.str());
}

}  // namespace
}  // namespace latencylab::testing
