// Cost of one downstream call through http::ClientPool on a warm keep-alive connection, client and
// a minimal server as coroutines on one io_context over loopback (so ns include both sides and the
// kernel's loopback path). Counters:
//   allocs_per_call  heap allocations per call, client and server together (the coroutine frames
//                    come from Asio's per-thread recycling cache; the response body is one)
// BM_Call: one caller, a slot always free. BM_CallQueued: two callers on one connection, so every
// call first queues for the slot (the FifoSemaphore hand-off raced against the per-try timer).
// BM_ParkedInClientPool: 10,000 callers queued behind the one connection of a pool whose server
// never answers (a saturated downstream); counter bytes_per_waiter = heap per queued call (glibc
// mallinfo2): the call's frames and its queue node.
// Compare db_pool_benchmark's BM_ParkedOnTimer (a request parked on a plain timer).
//
//   build/release/bench/http_client_pool_benchmark
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <array>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdlib>
#include <string_view>

#include "allocation_counter.hpp"
#include "core/io_context.hpp"
#include "http/client_pool.hpp"
#include "telemetry/meter.hpp"

namespace latencylab::http {
namespace {

using namespace std::chrono_literals;
using tcp = asio::ip::tcp;

constexpr std::string_view kResponse = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

// Answers every read with one response: the client's request head arrives in one segment.
awaitable<void> serve(tcp::socket socket) {
  std::array<char, 4096> buffer{};
  for (;;) {
    auto [read_ec, n] = co_await socket.async_read_some(asio::buffer(buffer), use_nothrow);
    if (read_ec) co_return;
    auto [write_ec, written] = co_await asio::async_write(
        socket, asio::buffer(kResponse.data(), kResponse.size()), use_nothrow);
    if (write_ec) co_return;
  }
}

awaitable<void> accept(tcp::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(use_nothrow);
    if (ec) co_return;
    asio::co_spawn(acceptor.get_executor(), serve(std::move(socket)), asio::detached);
  }
}

// Reads requests and never answers; counts them.
awaitable<void> serve_silently(tcp::socket socket, std::uint64_t& requests) {
  std::array<char, 4096> buffer{};
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(buffer), use_nothrow);
    if (ec) co_return;
    ++requests;
  }
}

awaitable<void> accept_silently(tcp::acceptor& acceptor, std::uint64_t& requests) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(use_nothrow);
    if (ec) co_return;
    asio::co_spawn(acceptor.get_executor(), serve_silently(std::move(socket), requests),
                   asio::detached);
  }
}

void run_calls(benchmark::State& state, std::uint32_t callers) {
  core::OwnedIoContext io(1);
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  asio::co_spawn(io, accept(acceptor), asio::detached);
  telemetry::Meter meter;
  ClientMetrics metrics(meter);
  ClientPool pool(io.get_executor(),
                  {.server = acceptor.local_endpoint(),
                   .max_connections = 1,
                   .peer_name = {},
                   .try_timeout = 1h},
                  metrics);
  std::uint64_t failures = 0;
  std::uint64_t allocations = 0;
  bool stop = false;
  std::uint32_t running = callers;
  // One caller drives the benchmark loop; the others keep the slot contended until it ends.
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        (void)co_await pool.exchange(Verb::get, "/health", {}, {});  // connect once
        const auto before = bench::allocations();
        for (auto _ : state) {
          const ClientResult result = co_await pool.exchange(Verb::get, "/health", {}, {});
          if (!result) ++failures;
        }
        allocations = bench::allocations() - before;
        stop = true;
        --running;
      },
      asio::detached);
  for (std::uint32_t i = 1; i < callers; ++i) {
    asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
          while (!stop) (void)co_await pool.exchange(Verb::get, "/health", {}, {});
          --running;
        },
        asio::detached);
  }
  while (running > 0) io.run_one();
  io.shutdown();  // the server's coroutines, while the acceptor and the pool still exist
  state.counters["allocs_per_call"] =
      benchmark::Counter(static_cast<double>(allocations), benchmark::Counter::kAvgIterations);
  if (failures != 0) state.SkipWithError("a call failed");
}

void BM_Call(benchmark::State& state) {
  run_calls(state, 1);
}
BENCHMARK(BM_Call)->Unit(benchmark::kMicrosecond);

void BM_CallQueued(benchmark::State& state) {
  run_calls(state, 2);
}
BENCHMARK(BM_CallQueued)->Unit(benchmark::kMicrosecond);

void BM_ParkedInClientPool(benchmark::State& state) {
  constexpr int kWaiters = 10'000;
  telemetry::Meter meter;
  ClientMetrics metrics(meter);
  double bytes_per_waiter = 0;
  for (auto _ : state) {
    core::OwnedIoContext io(1);
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    std::uint64_t requests = 0;
    asio::co_spawn(io, accept_silently(acceptor, requests), asio::detached);
    ClientPool pool(io.get_executor(),
                    {.server = acceptor.local_endpoint(),
                     .max_connections = 1,
                     .peer_name = {},
                     .try_timeout = 1h},
                    metrics);
    asio::co_spawn(io, pool.exchange(Verb::get, "/slow", {}, {}), asio::detached);
    while (requests == 0) io.run_one();  // the only connection is taken
    const std::size_t before = mallinfo2().uordblks;
    for (int i = 0; i < kWaiters; ++i) {
      asio::co_spawn(io, pool.exchange(Verb::get, "/queued", {}, {}), asio::detached);
    }
    io.poll();
    if (pool.waiting() != kWaiters) state.SkipWithError("the callers did not all queue");
    bytes_per_waiter = static_cast<double>(mallinfo2().uordblks - before) / kWaiters;
    io.shutdown();  // every call, while the pool and the acceptor still exist
  }
  state.counters["bytes_per_waiter"] = bytes_per_waiter;
  state.counters["waiters"] = kWaiters;
}
BENCHMARK(BM_ParkedInClientPool)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace latencylab::http
