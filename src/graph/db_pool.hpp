// A simulated database behind a connection pool: a query takes one of `size` connections in
// arrival order (waiting at most `acquire_timeout`, behind at most `max_waiting` others), holds it
// for the query's latency (an awaited timer) and returns it. A slow query therefore makes the
// queries behind it wait, which is what a saturation demo has to show.
//
// Metrics (OpenTelemetry database semantic conventions, recorded through handles bound at
// startup): db.client.connection.count{state=idle|used}, .max, .pending_requests, .wait_time and
// .timeouts per pool (db.client.connection.pool.name), and db.client.operation.duration per
// Operation. DbClientMetrics creates the instruments once per service and every pool binds its
// series on them.
//
//   DbClientMetrics db_metrics(meter);
//   DbPool orders_db(io.get_executor(), {.name = "orders", .size = 4, .max_waiting = 100,
//                    .acquire_timeout = std::chrono::milliseconds(200)}, db_metrics);
//   const DbPool::Operation insert = orders_db.operation("INSERT", "orders");  // at startup
//   DbOutcome outcome = co_await orders_db.query(insert, std::chrono::milliseconds(30));
//
// Counting: a pool_timeout (the acquire timeout expired) counts in db.client.connection.timeouts;
// a queue_full refusal does not (it is immediate, not a timeout: the route's error.type shows it).
// wait_time is recorded for acquired connections only; operation.duration for completed queries
// only (from the acquired connection to the end of the query), not for cancelled ones.
//
// Threading: the io thread. Lifetime: like its FifoSemaphore, a pool must outlive its queries.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/asio.hpp"
#include "core/fifo_semaphore.hpp"
#include "telemetry/instruments.hpp"
#include "telemetry/meter.hpp"

namespace latencylab::graph {

struct DbPoolSettings {
  std::string name;                  // db.client.connection.pool.name, unique within the service
  std::string system = "other_sql";  // db.system.name
  std::uint32_t size = 1;            // connections
  std::uint32_t max_waiting = 0;     // queries queued for a connection beyond `size`
  std::chrono::nanoseconds acquire_timeout = std::chrono::nanoseconds::max();  // max() = no limit
};

enum class DbOutcome { ok, pool_timeout, queue_full, cancelled };

// The db.client.* instruments of one Meter, shared by all its pools.
class DbClientMetrics {
 public:
  explicit DbClientMetrics(telemetry::Meter& meter);

 private:
  friend class DbPool;
  telemetry::UpDownCounter<std::int64_t> connection_count_;
  telemetry::UpDownCounter<std::int64_t> connection_max_;
  telemetry::UpDownCounter<std::int64_t> pending_requests_;
  telemetry::Counter<std::int64_t> timeouts_;
  telemetry::Histogram wait_time_;
  telemetry::Histogram operation_duration_;
};

class DbPool {
 public:
  // A db.client.operation.duration series (db.system.name, db.operation.name,
  // db.collection.name), bound once at startup.
  class Operation {
   private:
    friend class DbPool;
    explicit Operation(telemetry::BoundHistogram duration) noexcept : duration_(duration) {}
    telemetry::BoundHistogram duration_;
  };

  // Throws std::invalid_argument on an empty name or a size of 0 (startup).
  DbPool(const asio::any_io_executor& executor, DbPoolSettings settings, DbClientMetrics& metrics);
  ~DbPool();
  DbPool(const DbPool&) = delete;
  DbPool& operator=(const DbPool&) = delete;

  // Startup only (binds a series). An empty collection leaves db.collection.name out.
  [[nodiscard]] Operation operation(std::string_view operation_name,
                                    std::string_view collection) const;

  // Acquires a connection (FIFO), holds it for `query_time`, returns it. A cancelled query (its
  // coroutine's cancellation slot emitted, before or after it got a connection) returns cancelled
  // and gives the connection back at once.
  [[nodiscard]] awaitable<DbOutcome> query(const Operation& operation,
                                           std::chrono::nanoseconds query_time);

  [[nodiscard]] const DbPoolSettings& settings() const noexcept { return settings_; }
  [[nodiscard]] std::uint32_t in_use() const noexcept { return connections_.in_use(); }
  [[nodiscard]] std::uint32_t waiting() const noexcept { return connections_.waiting(); }

 private:
  class Connection;

  DbPoolSettings settings_;
  DbClientMetrics& metrics_;
  core::FifoSemaphore connections_;
  // One query timer per connection, lent to the query holding it: a query waiting for a
  // connection (the many, when the pool saturates) carries no timer in its frame.
  std::vector<asio::steady_timer> timers_;
  std::vector<asio::steady_timer*> idle_timers_;
  telemetry::BoundUpDownCounter<std::int64_t> idle_;
  telemetry::BoundUpDownCounter<std::int64_t> used_;
  telemetry::BoundUpDownCounter<std::int64_t> max_;
  telemetry::BoundUpDownCounter<std::int64_t> pending_;
  telemetry::BoundCounter<std::int64_t> timeouts_;
  telemetry::BoundHistogram wait_time_;
};

}  // namespace latencylab::graph
