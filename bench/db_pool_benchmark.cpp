// Memory and CPU per request waiting in a database pool's queue (issue 11: at 10k waiters, no more
// than a request in flight costs, ~5 KB). Each iteration parks 10,000 request coroutines behind
// one busy connection, reads the heap growth (glibc mallinfo2: bytes in use, chunk headers
// included), then lets them all through. Counters:
//   bytes_per_waiter  heap per parked request: its own coroutine frame (co_spawn'd, like a route
//                     script's), the query's frame and the queue node
//   ns per iteration  / 10,000 = queue, hand-off and a zero-length query per request
// BM_ParkedOnTimer is the baseline: the same request coroutines parked on a plain steady_timer, as
// a simulated-latency request waits today; the difference is what waiting in a pool adds.
// BM_SemaphoreHandOff is the queue alone: 10,000 coroutines queue on a core::FifoSemaphore and
// each takes the permit from the one before (no query frame and no query timer, whose timerfd
// update dominates the pool's CPU figure in VMs).
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
#include <optional>

#include "core/fifo_semaphore.hpp"
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

awaitable<void> take_and_keep(core::FifoSemaphore& semaphore,
                              std::optional<core::FifoSemaphore::Permit>& held) {
  core::FifoSemaphore::AcquireResult permit = co_await semaphore.acquire();
  if (permit) held.emplace(std::move(*permit));
}

awaitable<void> take_and_pass(core::FifoSemaphore& semaphore, int& done) {
  const core::FifoSemaphore::AcquireResult permit = co_await semaphore.acquire();
  if (permit) ++done;  // returned at once: the next waiter gets it
}

void BM_SemaphoreHandOff(benchmark::State& state) {
  double bytes_per_waiter = 0;
  for (auto _ : state) {
    asio::io_context io(1);
    core::FifoSemaphore semaphore(io.get_executor(), 1, kWaiters, 10s);
    std::optional<core::FifoSemaphore::Permit> held;
    asio::co_spawn(io, take_and_keep(semaphore, held), asio::detached);  // first in line
    io.poll();
    io.restart();  // the first in line has finished: the io_context ran out of work
    const std::size_t before = heap_in_use();
    int done = 0;
    for (int i = 0; i < kWaiters; ++i) {
      asio::co_spawn(io, take_and_pass(semaphore, done), asio::detached);
    }
    io.poll();
    if (semaphore.waiting() != kWaiters) state.SkipWithError("the waiters did not all park");
    bytes_per_waiter = static_cast<double>(heap_in_use() - before) / kWaiters;
    held.reset();
    io.run();
    if (done != kWaiters) state.SkipWithError("not every waiter got the permit");
  }
  state.counters["bytes_per_waiter"] = bytes_per_waiter;
  state.counters["waiters"] = kWaiters;
}
BENCHMARK(BM_SemaphoreHandOff)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace latencylab::graph
