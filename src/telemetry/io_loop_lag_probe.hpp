// Measures how late the io thread runs a timer: a direct reading of event-loop saturation.
//
// Every `interval` the probe waits on a steady_timer; when the completion finally runs it records
// (now - expiry) into the histogram latencylab.io_loop.lag (unit s, 10 us .. 1 s buckets). A busy
// or blocked io thread shows up as lag long before it shows up as request latency percentiles.
//
// Threading: io thread only. Call stop() (or destroy the probe) before the io_context goes away; a
// pending wait then completes with operation_aborted and touches nothing. A wait that had already
// completed when stop() was called finds the probe stopped and does not re-arm (so io.run() can
// run out of work); it reads the probe, so the probe outlives it.
//
//   IoLoopLagProbe probe(io, meter);   // creates the histogram
//   probe.start();
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>

#include "core/asio.hpp"
#include "telemetry/instruments.hpp"
#include "telemetry/io_timer.hpp"
#include "telemetry/meter.hpp"

namespace latencylab::telemetry {

class IoLoopLagProbe {
 public:
  static constexpr std::chrono::milliseconds kDefaultInterval{100};

  IoLoopLagProbe(asio::io_context& io, Meter& meter,
                 std::chrono::milliseconds interval = kDefaultInterval);
  IoLoopLagProbe(const IoLoopLagProbe&) = delete;
  IoLoopLagProbe& operator=(const IoLoopLagProbe&) = delete;

  void start();
  void stop() noexcept;

 private:
  void arm();

  // io thread only.
  IoTimer timer_;
  BoundHistogram lag_;
  std::chrono::milliseconds interval_;
  bool stopped_ = false;
};

}  // namespace latencylab::telemetry
