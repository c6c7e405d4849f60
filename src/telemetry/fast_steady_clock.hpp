// A cheaper steady clock for per-request durations: the CPU timestamp counter, scaled to
// nanoseconds, when the kernel itself trusts the TSC; steady_clock::now() otherwise.
//
// Why: the request guard reads the clock twice per request. On the reference machine
// steady_clock::now() (vDSO clock_gettime) costs ~24 ns of CPU, a plain rdtsc ~10 ns, which is the
// difference between meeting and missing the 40 ns per-request budget (docs/BENCHMARKS.md).
//
// When: x86-64 only, and only if /sys/devices/system/clocksource/clocksource0/current_clocksource
// is "tsc" — the kernel has verified the TSC is invariant and synchronised across CPUs, which is
// exactly what CLOCK_MONOTONIC then relies on too. The scale is calibrated once against
// steady_clock over 20 ms, at the first call (HttpServerMetrics makes that call at startup).
//
// Only differences between two fast_steady_now() readings are meaningful: the TSC is not slewed by
// NTP, so over hours its readings drift (by parts per million) from steady_clock::now().
//
//   const auto start = fast_steady_now();
//   ...
//   const auto elapsed = fast_steady_now() - start;
#pragma once

#include <chrono>

namespace latencylab::telemetry {

[[nodiscard]] std::chrono::steady_clock::time_point fast_steady_now() noexcept;

// True when fast_steady_now() reads the TSC (false: it is steady_clock::now()).
[[nodiscard]] bool fast_steady_clock_uses_tsc() noexcept;

}  // namespace latencylab::telemetry
