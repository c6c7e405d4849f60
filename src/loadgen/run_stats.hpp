// What a run measured: per endpoint (latency histograms, status codes, errors by kind), per target
// (plus the open-model scheduling counters) and per reporting interval.
//
// Two latencies per request: `latency` is measured from the request's intended send time (open
// model: its slot in the arrival schedule), so time spent waiting for a free connection while the
// server stalled is included (coordinated omission corrected); `service_time` is measured from the
// moment the request was actually handed to a connection, which is what a closed-loop tool like
// wrk reports. In the closed model both are the same.
//
// Each io thread owns its own instances (plain counters, no atomics); they are merged after the
// threads join, or, for intervals, handed over once per second through IntervalMailbox.
//
//   EndpointStats s;
//   s.record({ErrorKind::none, 200}, latency, service_time);
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <vector>

#include "loadgen/duration_text.hpp"
#include "loadgen/exchange_outcome.hpp"
#include "loadgen/latency_histogram.hpp"
#include "loadgen/open_model_queue.hpp"

namespace latencylab::loadgen {

inline constexpr std::size_t kStatusSlots = 600;  // status codes 0..599; others count as 0

struct EndpointStats {
  LatencyHistogram latency;
  LatencyHistogram service_time;
  std::array<std::uint64_t, kStatusSlots> status_counts{};
  std::array<std::uint64_t, kErrorKindCount> error_counts{};
  std::uint64_t completed = 0;  // exchanges that ended, successfully or not

  void record(const ExchangeOutcome& outcome, Nanos latency_value, Nanos service_value) noexcept;
  void merge(const EndpointStats& other) noexcept;
  [[nodiscard]] std::uint64_t errors() const noexcept;
};

struct TargetStats {
  std::vector<EndpointStats> endpoints;
  OpenModelCounters schedule;  // open model, measured window only
  std::uint64_t started = 0;   // requests handed to a connection in the measured window
  std::uint64_t connections_opened = 0;

  explicit TargetStats(std::size_t endpoint_count = 0) : endpoints(endpoint_count) {}
  void merge(const TargetStats& other) noexcept;
  [[nodiscard]] EndpointStats all_endpoints() const;
};

// One target's activity during one reporting interval (warm-up included, for the timeline).
struct IntervalStats {
  LatencyHistogram latency;
  LatencyHistogram service_time;
  std::uint64_t started = 0;
  std::uint64_t completed = 0;
  std::uint64_t errors = 0;
  std::uint64_t late = 0;
  std::uint64_t dropped = 0;
  std::uint64_t in_flight = 0;  // gauge at the end of the interval
  std::uint64_t backlog = 0;    // gauge at the end of the interval

  void merge(const IntervalStats& other) noexcept;  // gauges add up across threads
  void reset() noexcept;
};

// Hand-over point between one io thread (writer, once per second) and the reporter thread.
class IntervalMailbox {
 public:
  explicit IntervalMailbox(std::size_t target_count) : pending_(target_count) {}

  // io thread: adds its interval for each target, then the caller resets its own copy.
  void deposit(const std::vector<IntervalStats>& intervals);
  // reporter thread: adds everything deposited since the last call into `into`, then clears.
  void collect_into(std::vector<IntervalStats>& into);

 private:
  std::mutex mutex_;
  std::vector<IntervalStats> pending_;  // guarded by mutex_
};

}  // namespace latencylab::loadgen
