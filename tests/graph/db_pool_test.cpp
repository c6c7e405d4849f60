#include "graph/db_pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <vector>

#include "snapshot_helpers.hpp"

namespace latencylab::graph {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using telemetry::testing::histogram_of;
using telemetry::testing::point_with;
using telemetry::testing::sum_of;

void rethrow(const std::exception_ptr& error) {
  if (error) std::rethrow_exception(error);
}

struct QueryRecord {
  std::optional<DbOutcome> outcome;
  Clock::time_point finished;
};

awaitable<void> run_query(DbPool& pool, const DbPool::Operation& operation,
                          std::chrono::nanoseconds query_time, QueryRecord& record) {
  record.outcome = co_await pool.query(operation, query_time);
  record.finished = Clock::now();
}

// The value of an integer sum series of `name` for this pool (and state), or nullopt when absent.
std::optional<std::int64_t> pool_value(const telemetry::MetricsSnapshot& snapshot,
                                       std::string_view name, const char* state = nullptr) {
  telemetry::AttributeList attributes = {{"db.client.connection.pool.name", std::string("main")}};
  if (state != nullptr) attributes.push_back({"db.client.connection.state", std::string(state)});
  const auto* point = point_with(sum_of(snapshot, name).points, attributes);
  if (point == nullptr) return std::nullopt;
  return std::get<std::int64_t>(point->value);
}

std::uint64_t histogram_count(const telemetry::MetricsSnapshot& snapshot, std::string_view name,
                              telemetry::AttributeList attributes) {
  const auto* point = point_with(histogram_of(snapshot, name).points, std::move(attributes));
  return point == nullptr ? 0 : point->count;
}

const telemetry::AttributeList kInsertOrders = {{"db.system.name", std::string("other_sql")},
                                                {"db.operation.name", std::string("INSERT")},
                                                {"db.collection.name", std::string("orders")}};
const telemetry::AttributeList kMainPool = {
    {"db.client.connection.pool.name", std::string("main")}};

struct PoolFixture {
  explicit PoolFixture(DbPoolSettings settings)
      : pool(io.get_executor(), std::move(settings), metrics) {}

  telemetry::Meter meter;
  DbClientMetrics metrics{meter};
  asio::io_context io;
  DbPool pool;
  DbPool::Operation insert = pool.operation("INSERT", "orders");
};

DbPoolSettings settings(
    std::uint32_t size, std::uint32_t max_waiting,
    std::chrono::nanoseconds acquire_timeout = std::chrono::nanoseconds::max()) {
  return DbPoolSettings{
      .name = "main", .size = size, .max_waiting = max_waiting, .acquire_timeout = acquire_timeout};
}

TEST(DbPool, QueriesBeyondThePoolSizeRunInWaves) {
  constexpr std::uint32_t size = 2;
  constexpr auto query_time = 25ms;
  PoolFixture fixture(settings(size, 10));
  std::vector<QueryRecord> records(5);
  const auto start = Clock::now();
  for (auto& record : records) {
    asio::co_spawn(fixture.io, run_query(fixture.pool, fixture.insert, query_time, record),
                   rethrow);
  }
  fixture.io.run();

  for (std::size_t i = 0; i < records.size(); ++i) {
    ASSERT_EQ(records[i].outcome, DbOutcome::ok) << "query " << i;
    // Query i runs in wave i / size: it cannot end before (wave + 1) query times have passed.
    const auto wave = static_cast<int>(i / size);
    EXPECT_GE(records[i].finished - start, (wave + 1) * query_time) << "query " << i;
  }
  const auto snapshot = fixture.meter.collect();
  EXPECT_EQ(histogram_count(snapshot, "db.client.operation.duration", kInsertOrders), 5U);
  EXPECT_EQ(histogram_count(snapshot, "db.client.connection.wait_time", kMainPool), 5U);
  const auto* duration =
      point_with(histogram_of(snapshot, "db.client.operation.duration").points, kInsertOrders);
  ASSERT_NE(duration, nullptr);
  EXPECT_GE(*duration->min, 0.025) << "a query holds its connection for the query time";
}

TEST(DbPool, PoolStateAndPendingRequestsAreObservableWhileQueriesWait) {
  constexpr auto query_time = 100ms;
  PoolFixture fixture(settings(1, 10));
  std::vector<QueryRecord> records(3);
  const auto start = Clock::now();
  for (auto& record : records) {
    asio::co_spawn(fixture.io, run_query(fixture.pool, fixture.insert, query_time, record),
                   rethrow);
  }
  fixture.io.poll();  // all three started: one holds the connection, two wait
  // Timers never fire early: unless this thread was descheduled for a whole query time, no query
  // has ended yet (checked rather than assumed: a loaded machine can stall a thread that long).
  const auto started = Clock::now() - start;
  if (started < query_time) {
    const auto snapshot = fixture.meter.collect();
    EXPECT_EQ(pool_value(snapshot, "db.client.connection.pending_requests"), 2);
    EXPECT_EQ(pool_value(snapshot, "db.client.connection.count", "used"), 1);
    EXPECT_EQ(pool_value(snapshot, "db.client.connection.count", "idle"), 0);
    EXPECT_EQ(pool_value(snapshot, "db.client.connection.max"), 1);
  }

  fixture.io.run();
  const auto snapshot = fixture.meter.collect();
  EXPECT_EQ(pool_value(snapshot, "db.client.connection.pending_requests"), 0);
  EXPECT_EQ(pool_value(snapshot, "db.client.connection.count", "used"), 0);
  EXPECT_EQ(pool_value(snapshot, "db.client.connection.count", "idle"), 1);
  EXPECT_EQ(pool_value(snapshot, "db.client.connection.max"), 1);
  const auto* wait =
      point_with(histogram_of(snapshot, "db.client.connection.wait_time").points, kMainPool);
  ASSERT_NE(wait, nullptr);
  EXPECT_EQ(wait->count, 3U);
  // The third query queued at most `started` after the first took the connection, and got it
  // when the second's query ended, two query times after that.
  EXPECT_GE(*wait->max, std::chrono::duration<double>(2 * query_time - started).count())
      << "the third query waited for two queries";
}

TEST(DbPool, AnAcquireTimeoutIsAPoolTimeoutAndCounted) {
  PoolFixture fixture(settings(1, 10, 10ms));
  QueryRecord holder;
  QueryRecord late;
  asio::co_spawn(fixture.io, run_query(fixture.pool, fixture.insert, 60ms, holder), rethrow);
  asio::co_spawn(fixture.io, run_query(fixture.pool, fixture.insert, 60ms, late), rethrow);
  fixture.io.run();

  EXPECT_EQ(holder.outcome, DbOutcome::ok);
  EXPECT_EQ(late.outcome, DbOutcome::pool_timeout);
  const auto snapshot = fixture.meter.collect();
  const auto* timeouts =
      point_with(sum_of(snapshot, "db.client.connection.timeouts").points, kMainPool);
  ASSERT_NE(timeouts, nullptr);
  EXPECT_EQ(std::get<std::int64_t>(timeouts->value), 1);
  EXPECT_EQ(histogram_count(snapshot, "db.client.connection.wait_time", kMainPool), 1U)
      << "a timed-out wait obtained no connection";
  EXPECT_EQ(histogram_count(snapshot, "db.client.operation.duration", kInsertOrders), 1U);
}

TEST(DbPool, AFullQueueRefusesAtOnceAndIsNotATimeout) {
  PoolFixture fixture(settings(1, 0));
  QueryRecord holder;
  QueryRecord refused;
  asio::co_spawn(fixture.io, run_query(fixture.pool, fixture.insert, 5ms, holder), rethrow);
  asio::co_spawn(fixture.io, run_query(fixture.pool, fixture.insert, 5ms, refused), rethrow);
  fixture.io.poll();
  EXPECT_EQ(refused.outcome, DbOutcome::queue_full);
  fixture.io.run();
  EXPECT_EQ(holder.outcome, DbOutcome::ok);
  const auto snapshot = fixture.meter.collect();
  const auto* timeouts =
      point_with(sum_of(snapshot, "db.client.connection.timeouts").points, kMainPool);
  EXPECT_TRUE(timeouts == nullptr || std::get<std::int64_t>(timeouts->value) == 0);
}

TEST(DbPool, CancellingAQueryReleasesItsConnection) {
  asio::cancellation_signal cancel_holder;
  asio::cancellation_signal cancel_waiter;
  PoolFixture fixture(settings(1, 10));
  QueryRecord holder;
  QueryRecord waiter;
  QueryRecord next;
  asio::co_spawn(fixture.io, run_query(fixture.pool, fixture.insert, 1h, holder),
                 asio::bind_cancellation_slot(cancel_holder.slot(), rethrow));
  asio::co_spawn(fixture.io, run_query(fixture.pool, fixture.insert, 1h, waiter),
                 asio::bind_cancellation_slot(cancel_waiter.slot(), rethrow));
  fixture.io.poll();
  ASSERT_EQ(fixture.pool.in_use(), 1U);
  ASSERT_EQ(fixture.pool.waiting(), 1U);

  cancel_waiter.emit(asio::cancellation_type::terminal);  // leaves the queue
  fixture.io.poll();
  EXPECT_EQ(waiter.outcome, DbOutcome::cancelled);
  EXPECT_EQ(fixture.pool.waiting(), 0U);

  cancel_holder.emit(asio::cancellation_type::terminal);  // mid-query
  fixture.io.poll();
  EXPECT_EQ(holder.outcome, DbOutcome::cancelled);
  EXPECT_EQ(fixture.pool.in_use(), 0U) << "the cancelled query gave its connection back";

  fixture.io.restart();  // it ran out of work
  asio::co_spawn(fixture.io, run_query(fixture.pool, fixture.insert, 1ms, next), rethrow);
  fixture.io.run();
  EXPECT_EQ(next.outcome, DbOutcome::ok);
  const auto snapshot = fixture.meter.collect();
  EXPECT_EQ(pool_value(snapshot, "db.client.connection.count", "used"), 0);
  EXPECT_EQ(pool_value(snapshot, "db.client.connection.count", "idle"), 1);
  EXPECT_EQ(pool_value(snapshot, "db.client.connection.pending_requests"), 0);
  EXPECT_EQ(histogram_count(snapshot, "db.client.operation.duration", kInsertOrders), 1U)
      << "cancelled queries record no operation duration";
}

// Runs a query, then cancels `next` at once: inside the io thread, so the emission is synchronous
// and lands after the connection was handed to `next` but before `next` resumed.
awaitable<void> query_then_cancel(DbPool& pool, const DbPool::Operation& operation,
                                  QueryRecord& record, asio::cancellation_signal& next) {
  record.outcome = co_await pool.query(operation, 5ms);
  next.emit(asio::cancellation_type::terminal);
}

TEST(DbPool, AQueryCancelledAsItIsHandedAConnectionGivesItBack) {
  asio::cancellation_signal cancel_waiter;
  PoolFixture fixture(settings(1, 10));
  QueryRecord holder;
  QueryRecord waiter;
  asio::co_spawn(fixture.io, query_then_cancel(fixture.pool, fixture.insert, holder, cancel_waiter),
                 rethrow);
  asio::co_spawn(fixture.io, run_query(fixture.pool, fixture.insert, 1h, waiter),
                 asio::bind_cancellation_slot(cancel_waiter.slot(), rethrow));
  fixture.io.run();  // ends only if the waiter did not start its hour-long query
  EXPECT_EQ(holder.outcome, DbOutcome::ok);
  EXPECT_EQ(waiter.outcome, DbOutcome::cancelled);
  EXPECT_EQ(fixture.pool.in_use(), 0U);
  const auto snapshot = fixture.meter.collect();
  EXPECT_EQ(pool_value(snapshot, "db.client.connection.count", "used"), 0);
  EXPECT_EQ(pool_value(snapshot, "db.client.connection.count", "idle"), 1);
}

TEST(DbPool, RejectsAPoolWithoutConnectionsOrName) {
  telemetry::Meter meter;
  DbClientMetrics metrics(meter);
  asio::io_context io;
  EXPECT_THROW(DbPool(io.get_executor(), settings(0, 1), metrics), std::invalid_argument);
  DbPoolSettings unnamed = settings(1, 1);
  unnamed.name.clear();
  EXPECT_THROW(DbPool(io.get_executor(), unnamed, metrics), std::invalid_argument);
}

}  // namespace
}  // namespace latencylab::graph
