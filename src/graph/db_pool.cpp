#include "graph/db_pool.hpp"

#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <optional>
#include <stdexcept>
#include <utility>

#include "telemetry/fast_steady_clock.hpp"

namespace latencylab::graph {

namespace {

// The database conventions' bucket advice for db.client.operation.duration (seconds).
const std::vector<double> kOperationBuckets = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10};

double seconds(std::chrono::steady_clock::duration elapsed) noexcept {
  return std::chrono::duration<double>(elapsed).count();
}

// Adds `amount` to an up-down counter for the lifetime of the scope, however the scope ends (a
// coroutine frame destroyed at shutdown included).
class ScopedAdd {
 public:
  ScopedAdd(telemetry::BoundUpDownCounter<std::int64_t> counter, std::int64_t amount) noexcept
      : counter_(counter), amount_(amount) {
    counter_.add(amount_);
  }
  ~ScopedAdd() { counter_.add(-amount_); }
  ScopedAdd(const ScopedAdd&) = delete;
  ScopedAdd& operator=(const ScopedAdd&) = delete;

 private:
  telemetry::BoundUpDownCounter<std::int64_t> counter_;
  std::int64_t amount_;
};

// Checked before each suspension so a cancelled query returns a value instead of letting the next
// co_await throw operation_aborted (asio's default for a cancelled coroutine).
bool cancelled(const asio::cancellation_state& state) noexcept {
  return state.cancelled() != asio::cancellation_type::none;
}

}  // namespace

DbClientMetrics::DbClientMetrics(telemetry::Meter& meter)
    : connection_count_(meter.create_up_down_counter<std::int64_t>(
          {"db.client.connection.count",
           "The number of connections that are currently in state described by the state "
           "attribute",
           "{connection}"})),
      connection_max_(meter.create_up_down_counter<std::int64_t>(
          {"db.client.connection.max", "The maximum number of open connections allowed",
           "{connection}"})),
      pending_requests_(meter.create_up_down_counter<std::int64_t>(
          {"db.client.connection.pending_requests",
           "The number of current pending requests for an open connection", "{request}"})),
      timeouts_(meter.create_counter<std::int64_t>(
          {"db.client.connection.timeouts",
           "The number of connection timeouts that have occurred trying to obtain a connection "
           "from the pool",
           "{timeout}"})),
      wait_time_(meter.create_histogram(
          {"db.client.connection.wait_time",
           "The time it took to obtain an open connection from the pool", "s"})),
      operation_duration_(meter.create_histogram(
          {"db.client.operation.duration", "Duration of database client operations", "s"},
          kOperationBuckets)) {}

namespace {

telemetry::AttributeList pool_attributes(const std::string& pool_name) {
  return {{"db.client.connection.pool.name", pool_name}};
}

telemetry::AttributeList pool_state_attributes(const std::string& pool_name, const char* state) {
  return {{"db.client.connection.pool.name", pool_name},
          {"db.client.connection.state", std::string(state)}};
}

}  // namespace

DbPool::DbPool(const asio::any_io_executor& executor, DbPoolSettings settings,
               DbClientMetrics& metrics)
    : settings_(std::move(settings)),
      metrics_(metrics),
      connections_(executor, settings_.size, settings_.max_waiting, settings_.acquire_timeout),
      idle_(metrics.connection_count_.bind(pool_state_attributes(settings_.name, "idle"))),
      used_(metrics.connection_count_.bind(pool_state_attributes(settings_.name, "used"))),
      max_(metrics.connection_max_.bind(pool_attributes(settings_.name))),
      pending_(metrics.pending_requests_.bind(pool_attributes(settings_.name))),
      timeouts_(metrics.timeouts_.bind(pool_attributes(settings_.name))),
      wait_time_(metrics.wait_time_.bind(pool_attributes(settings_.name))) {
  if (settings_.name.empty()) throw std::invalid_argument("a database pool needs a name");
  if (settings_.size == 0) {
    throw std::invalid_argument("database pool '" + settings_.name +
                                "' needs at least 1 connection");
  }
  timers_.reserve(settings_.size);
  idle_timers_.reserve(settings_.size);
  for (std::uint32_t i = 0; i < settings_.size; ++i) {
    idle_timers_.push_back(&timers_.emplace_back(executor));
  }
  idle_.add(settings_.size);
  max_.add(settings_.size);
  (void)telemetry::fast_steady_now();  // calibrates the clock now rather than in the first query
}

// The pool's series fall back to zero (a service may rebuild its pools).
DbPool::~DbPool() {
  idle_.add(-static_cast<std::int64_t>(settings_.size));
  max_.add(-static_cast<std::int64_t>(settings_.size));
}

DbPool::Operation DbPool::operation(std::string_view operation_name,
                                    std::string_view collection) const {
  telemetry::AttributeList attributes = {{"db.system.name", settings_.system},
                                         {"db.operation.name", std::string(operation_name)}};
  if (!collection.empty()) attributes.push_back({"db.collection.name", std::string(collection)});
  return Operation(metrics_.operation_duration_.bind(std::move(attributes)));
}

// A connection held by a query: counted used rather than idle, its timer lent to the query, however
// the query ends (a coroutine frame destroyed at shutdown included).
class DbPool::Connection {
 public:
  explicit Connection(DbPool& pool) noexcept : pool_(pool), timer_(*pool.idle_timers_.back()) {
    pool.idle_timers_.pop_back();
    pool.used_.add(1);
    pool.idle_.add(-1);
  }
  ~Connection() {
    pool_.idle_.add(1);
    pool_.used_.add(-1);
    pool_.idle_timers_.push_back(&timer_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  [[nodiscard]] asio::steady_timer& timer() const noexcept { return timer_; }

 private:
  DbPool& pool_;
  asio::steady_timer& timer_;
};

// Kept small: a waiting query parks this frame (no acquire() frame, no timer: docs/BENCHMARKS.md,
// "Memory per request parked on a step").
awaitable<DbOutcome> DbPool::query(const Operation& operation,
                                   std::chrono::nanoseconds query_time) {
  // Results of co_await are named before they are tested: GCC 12 compiled an `if (co_await ...)`
  // of db_pool_benchmark into a trap (SIGILL, Debug + UBSan build).
  const asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
  if (cancelled(state)) co_return DbOutcome::cancelled;
  const auto asked = telemetry::fast_steady_now();
  core::FifoSemaphore::AcquireResult permit = core::AcquireError::cancelled;
  if (std::optional<core::FifoSemaphore::Permit> free = connections_.try_acquire()) {
    permit = std::move(*free);
  } else {
    const ScopedAdd pending(pending_, 1);
    permit = co_await connections_.async_wait(asio::deferred);
  }
  if (!permit) {
    switch (permit.error()) {
      case core::AcquireError::timeout:
        timeouts_.add(1);
        co_return DbOutcome::pool_timeout;
      case core::AcquireError::queue_full:
        co_return DbOutcome::queue_full;
      case core::AcquireError::cancelled:
        break;
    }
    co_return DbOutcome::cancelled;
  }
  const auto acquired = telemetry::fast_steady_now();
  wait_time_.record(seconds(acquired - asked));
  const Connection connection(*this);
  // Cancelled while the connection was being handed over: give it back without querying.
  if (cancelled(state)) co_return DbOutcome::cancelled;

  connection.timer().expires_after(query_time);
  const auto [ec] = co_await wait_in_frame(connection.timer());
  if (ec) co_return DbOutcome::cancelled;  // only cancellation aborts the timer
  operation.duration_.record(seconds(telemetry::fast_steady_now() - acquired));
  co_return DbOutcome::ok;
}

}  // namespace latencylab::graph
