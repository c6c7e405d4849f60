#include "loadgen/run_stats.hpp"

#include <numeric>
#include <utility>

namespace latencylab::loadgen {
namespace {

std::uint64_t to_nanos(Nanos value) noexcept {
  return value.count() < 0 ? 0 : static_cast<std::uint64_t>(value.count());
}

}  // namespace

void EndpointStats::record(const ExchangeOutcome& outcome, Nanos latency_value,
                           Nanos service_value) noexcept {
  ++completed;
  ++error_counts[static_cast<std::size_t>(outcome.error)];
  if (outcome.status != 0) ++status_counts[outcome.status < kStatusSlots ? outcome.status : 0];
  latency.record(to_nanos(latency_value));
  service_time.record(to_nanos(service_value));
}

void EndpointStats::merge(const EndpointStats& other) noexcept {
  latency.merge(other.latency);
  service_time.merge(other.service_time);
  for (std::size_t i = 0; i < status_counts.size(); ++i) status_counts[i] += other.status_counts[i];
  for (std::size_t i = 0; i < error_counts.size(); ++i) error_counts[i] += other.error_counts[i];
  completed += other.completed;
}

std::uint64_t EndpointStats::errors() const noexcept {
  // Index 0 is ErrorKind::none.
  return std::accumulate(error_counts.begin() + 1, error_counts.end(), std::uint64_t{0});
}

void TargetStats::merge(const TargetStats& other) noexcept {
  if (endpoints.size() < other.endpoints.size()) endpoints.resize(other.endpoints.size());
  for (std::size_t i = 0; i < other.endpoints.size(); ++i) endpoints[i].merge(other.endpoints[i]);
  schedule.due += other.schedule.due;
  schedule.sent += other.schedule.sent;
  schedule.late += other.schedule.late;
  schedule.dropped_backlog_full += other.schedule.dropped_backlog_full;
  schedule.dropped_at_end += other.schedule.dropped_at_end;
  started += other.started;
  connections_opened += other.connections_opened;
}

EndpointStats TargetStats::all_endpoints() const {
  EndpointStats total;
  for (const auto& endpoint : endpoints) total.merge(endpoint);
  return total;
}

void IntervalStats::merge(const IntervalStats& other) noexcept {
  latency.merge(other.latency);
  service_time.merge(other.service_time);
  started += other.started;
  completed += other.completed;
  errors += other.errors;
  late += other.late;
  dropped += other.dropped;
  in_flight += other.in_flight;
  backlog += other.backlog;
}

void IntervalStats::reset() noexcept {
  latency.reset();
  service_time.reset();
  started = completed = errors = late = dropped = in_flight = backlog = 0;
}

void IntervalMailbox::deposit(const std::vector<IntervalStats>& intervals) {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    pending_[i].merge(intervals[i]);
    // Gauges are this thread's latest reading, not a sum over deposits.
    pending_[i].in_flight = intervals[i].in_flight;
    pending_[i].backlog = intervals[i].backlog;
  }
}

void IntervalMailbox::collect_into(std::vector<IntervalStats>& into) {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    into[i].merge(pending_[i]);
    const auto [in_flight, backlog] = std::pair{pending_[i].in_flight, pending_[i].backlog};
    pending_[i].reset();
    pending_[i].in_flight = in_flight;  // still this thread's latest reading
    pending_[i].backlog = backlog;
  }
}

}  // namespace latencylab::loadgen
