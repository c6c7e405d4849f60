// Measures how late the io thread runs a timer: a direct reading of event-loop saturation.
//
// Every `interval` the probe waits on a steady_timer; when the completion finally runs it records
// (now - expiry) into the histogram latencylab.io_loop.lag (unit s, 10 us .. 1 s buckets). A busy
// or blocked io thread shows up as lag long before it shows up as request latency percentiles.
//
// Threading: io thread only. Call stop() (or destroy the probe) before the io_context goes away; a
// pending wait then completes with operation_aborted and touches nothing. A wait that had already
// completed finds the probe stopped (a flag it shares with the probe, so the probe may be gone)
// and does not re-arm, so io.run() can run out of work.
//
//   IoLoopLagProbe probe(io, meter);   // creates the histogram
//   probe.start();
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>

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
  ~IoLoopLagProbe();

  void start();
  void stop() noexcept;

 private:
  void arm();

  // io thread only.
  IoTimer timer_;
  BoundHistogram lag_;
  std::chrono::milliseconds interval_;
  // Shared with the wait's handler: a wait that completed before stop() or the destructor runs
  // later and must learn, without touching the probe, that it is gone.
  std::shared_ptr<bool> stopped_ = std::make_shared<bool>(false);
};

}  // namespace latencylab::telemetry
