#include "telemetry/io_loop_lag_probe.hpp"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <thread>

#include "snapshot_helpers.hpp"

namespace latencylab::telemetry {
namespace {

using namespace std::chrono_literals;

// A handler that blocks the io thread for 60 ms must show up as at least ~50 ms of lag. Only a
// lower bound is asserted: a loaded machine can make the lag larger, never smaller.
TEST(IoLoopLagProbe, ABlockedIoThreadShowsUpAsLag) {
  asio::io_context io;
  Meter meter;
  IoLoopLagProbe probe(io, meter, 10ms);
  probe.start();

  asio::steady_timer block(io, 5ms);
  block.async_wait([](error_code) { std::this_thread::sleep_for(60ms); });
  asio::steady_timer finish(io, 150ms);
  finish.async_wait([&](error_code) { probe.stop(); });
  io.run();

  auto snapshot = meter.collect();
  const auto& lag = testing::histogram_of(snapshot, "latencylab.io_loop.lag");
  ASSERT_EQ(lag.points.size(), 1u);
  EXPECT_GE(lag.points[0].count, 2u);
  ASSERT_TRUE(lag.points[0].max.has_value());
  EXPECT_GE(*lag.points[0].max, 0.045);
  EXPECT_EQ(lag.points[0].explicit_bounds.front(), 0.00001);
  EXPECT_EQ(lag.points[0].explicit_bounds.back(), 1.0);
}

// stop() while the probe's wait has already completed but its handler has not run yet (both due in
// the same poll, the stopping one first): the handler re-armed the timer, so io.run() never ran
// out of work. Seen as telemetry_test hanging on a loaded machine, where the test above's stopping
// timer and the probe's came due together.
TEST(IoLoopLagProbe, StopWinsOverAWaitThatHasAlreadyCompleted) {
  asio::io_context io;
  Meter meter;
  IoLoopLagProbe probe(io, meter, 20ms);
  asio::steady_timer stopper(io);
  asio::post(io, [&] {
    probe.start();  // due in 20 ms
    stopper.expires_after(10ms);
    stopper.async_wait([&](error_code) { probe.stop(); });
    std::this_thread::sleep_for(40ms);  // both due: one poll queues the stopper, then the probe
  });
  // The bound only matters when the probe keeps the io_context busy forever.
  io.run_for(10s);
  EXPECT_TRUE(io.stopped()) << "the probe re-armed after stop()";
}

// The same race with the probe destroyed instead of stopped: the completed wait's handler runs
// after the probe is gone and must not read it (ASan reports the use after free in the dev build).
TEST(IoLoopLagProbe, DestroyingTheProbeWinsOverAWaitThatHasAlreadyCompleted) {
  asio::io_context io;
  Meter meter;
  auto probe = std::make_unique<IoLoopLagProbe>(io, meter, 20ms);
  asio::steady_timer destroyer(io);
  asio::post(io, [&] {
    probe->start();  // due in 20 ms
    destroyer.expires_after(10ms);
    destroyer.async_wait([&](error_code) { probe.reset(); });
    std::this_thread::sleep_for(40ms);  // both due: one poll queues the destroyer, then the probe
  });
  io.run_for(10s);
  EXPECT_TRUE(io.stopped()) << "the probe's wait re-armed after the probe was destroyed";
  EXPECT_EQ(probe, nullptr);
}

}  // namespace
}  // namespace latencylab::telemetry
