#include "telemetry/fast_steady_clock.hpp"

#include <fstream>
#include <string>
#include <thread>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace latencylab::telemetry {
namespace {

struct TscCalibration {
  bool enabled = false;
  std::uint64_t tsc_origin = 0;
  std::chrono::steady_clock::time_point steady_origin;
  double nanos_per_tick = 0.0;
};

bool kernel_uses_tsc() {
  std::ifstream source("/sys/devices/system/clocksource/clocksource0/current_clocksource");
  std::string name;
  return static_cast<bool>(source >> name) && name == "tsc";
}

TscCalibration calibrate() noexcept {
  TscCalibration calibration;
#if defined(__x86_64__)
  try {
    if (!kernel_uses_tsc()) return calibration;
  } catch (...) {
    return calibration;
  }
  const auto steady_begin = std::chrono::steady_clock::now();
  const std::uint64_t tsc_begin = __rdtsc();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto steady_end = std::chrono::steady_clock::now();
  const std::uint64_t tsc_end = __rdtsc();
  const double nanos = std::chrono::duration<double, std::nano>(steady_end - steady_begin).count();
  if (tsc_end <= tsc_begin || nanos <= 0.0) return calibration;
  calibration.enabled = true;
  calibration.tsc_origin = tsc_begin;
  calibration.steady_origin = steady_begin;
  calibration.nanos_per_tick = nanos / static_cast<double>(tsc_end - tsc_begin);
#endif
  return calibration;
}

const TscCalibration& calibration() noexcept {
  static const TscCalibration instance = calibrate();  // thread-safe, once per process
  return instance;
}

}  // namespace

std::chrono::steady_clock::time_point fast_steady_now() noexcept {
#if defined(__x86_64__)
  const TscCalibration& c = calibration();
  if (c.enabled) {
    // Unordered rdtsc: an out-of-order skew of a few cycles is far below what we measure.
    const auto ticks = static_cast<double>(__rdtsc() - c.tsc_origin);
    return c.steady_origin +
           std::chrono::nanoseconds(static_cast<std::int64_t>(ticks * c.nanos_per_tick));
  }
#endif
  return std::chrono::steady_clock::now();
}

bool fast_steady_clock_uses_tsc() noexcept {
  return calibration().enabled;
}

}  // namespace latencylab::telemetry
