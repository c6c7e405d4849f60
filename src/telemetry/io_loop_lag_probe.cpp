#include "telemetry/io_loop_lag_probe.hpp"

#include <algorithm>

#include "telemetry/histogram_buckets.hpp"

namespace latencylab::telemetry {

IoLoopLagProbe::IoLoopLagProbe(asio::io_context& io, Meter& meter,
                               std::chrono::milliseconds interval)
    : timer_(io),
      lag_(meter
               .create_histogram({"latencylab.io_loop.lag",
                                  "How late the io thread ran a timer that was due.", "s"},
                                 {kLoopLagBuckets.begin(), kLoopLagBuckets.end()})
               .bind()),
      interval_(interval) {}

void IoLoopLagProbe::start() {
  arm();
}

IoLoopLagProbe::~IoLoopLagProbe() {
  stop();
}

void IoLoopLagProbe::stop() noexcept {
  *stopped_ = true;  // a wait that already completed is not cancelled: its handler must not re-arm
  timer_.cancel();
}

void IoLoopLagProbe::arm() {
  // Scheduled from "now", not from the previous expiry: after a long stall the probe takes one
  // late sample instead of a burst of catch-up samples that would all report the same stall.
  timer_.expires_after(interval_);
  timer_.async_wait([this, stopped = stopped_](error_code ec) {
    if (ec || *stopped) return;  // cancelled or stopped: the probe may be gone, touch nothing
    const auto late = std::chrono::steady_clock::now() - timer_.expiry();
    lag_.record(std::max(0.0, std::chrono::duration<double>(late).count()));
    arm();
  });
}

}  // namespace latencylab::telemetry
