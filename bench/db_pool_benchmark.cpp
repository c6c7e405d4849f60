// Memory and CPU per request waiting in a database pool's queue (issue 11: at 10k waiters, no more
// than a request in flight costs, ~5 KB). Each iteration parks 10,000 request coroutines behind
// one busy connection, reads the heap growth (glibc mallinfo2: bytes in use, chunk headers
// included), then lets them all through. Counters:
//   bytes_per_waiter  heap per parked request: its own coroutine frame (co_spawn'd, like a route
//                     script's), the query's and the acquire's frames and the queue node
//   ns per iteration  / 10,000 = queue, hand-off and a zero-length query per request
// BM_ParkedOnTimer is the baseline: the same request coroutines parked on a plain steady_timer, as
// a simulated-latency request waits today; the difference is what waiting in a pool adds.
//
//   build/release/bench/db_pool_benchmark   (sanitizer builds replace malloc: figures meaningless)
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>

#include "graph/db_pool.hpp"
#include "telemetry/meter.hpp"

namespace latencylab::graph {
namespace {

using namespace std::chrono_literals;
constexpr int kWaiters = 10'000;

std::size_t heap_in_use() {
  return mallinfo2().uordblks;
}

awaitable<void> request_using_pool(DbPool& pool, const DbPool::Operation& operation, int& done) {
  const DbOutcome outcome = co_await pool.query(operation, 0ns);
  if (outcome == DbOutcome::ok) ++done;
}

awaitable<void> hold_connection(DbPool& pool, const DbPool::Operation& operation) {
  (void)co_await pool.query(operation, 1h);  // until cancelled
}

awaitable<void> request_on_timer(asio::steady_timer& gate, int& done) {
  const auto [ec] = co_await gate.async_wait(use_nothrow);
  if (ec) ++done;  // the gate is cancelled to let every waiter through
}

void BM_ParkedInPool(benchmark::State& state) {
  telemetry::Meter meter;
  DbClientMetrics metrics(meter);
  double bytes_per_waiter = 0;
  for (auto _ : state) {
    asio::io_context io(1);
    DbPool pool(io.get_executor(),
                {.name = "bench", .size = 1, .max_waiting = kWaiters, .acquire_timeout = 10s},
                metrics);
    const DbPool::Operation select = pool.operation("SELECT", "users");
    asio::cancellation_signal release_holder;
    int done = 0;
    asio::co_spawn(io, hold_connection(pool, select),
                   asio::bind_cancellation_slot(release_holder.slot(), asio::detached));
    io.poll();
    const std::size_t before = heap_in_use();
    for (int i = 0; i < kWaiters; ++i) {
      asio::co_spawn(io, request_using_pool(pool, select, done), asio::detached);
    }
    io.poll();
    if (pool.waiting() != kWaiters) state.SkipWithError("the waiters did not all park");
    bytes_per_waiter = static_cast<double>(heap_in_use() - before) / kWaiters;
    release_holder.emit(asio::cancellation_type::terminal);
    io.run();
    if (done != kWaiters) state.SkipWithError("not every query completed");
  }
  state.counters["bytes_per_waiter"] = bytes_per_waiter;
  state.counters["waiters"] = kWaiters;
}
BENCHMARK(BM_ParkedInPool)->Unit(benchmark::kMillisecond);

void BM_ParkedOnTimer(benchmark::State& state) {
  double bytes_per_waiter = 0;
  for (auto _ : state) {
    asio::io_context io(1);
    asio::steady_timer gate(io, 1h);
    int done = 0;
    const std::size_t before = heap_in_use();
    for (int i = 0; i < kWaiters; ++i)
      asio::co_spawn(io, request_on_timer(gate, done), asio::detached);
    io.poll();
    bytes_per_waiter = static_cast<double>(heap_in_use() - before) / kWaiters;
    gate.cancel();
    io.run();
    if (done != kWaiters) state.SkipWithError("not every waiter completed");
  }
  state.counters["bytes_per_waiter"] = bytes_per_waiter;
  state.counters["waiters"] = kWaiters;
}
BENCHMARK(BM_ParkedOnTimer)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace latencylab::graph
