// The load generator's own metrics, recorded through the project's telemetry SDK when
// OTEL_METRICS_EXPORTER is set (see app/load_command.cpp), so the stack's Prometheus shows what
// the client saw next to what the server measured for the same requests.
//
//   instrument                         kind       unit       attributes
//   http.client.request.duration       histogram  s          http.request.method, server.address,
//     (service time: from the actual send)                   server.port, http.response.status_code
//                                                            or error.type, latencylab.load.target,
//                                                            latencylab.load.endpoint
//   latencylab.load.request.duration   histogram  s          (the same)
//     (from the intended send time: coordinated omission corrected)
//   latencylab.load.requests           counter    {request}  latencylab.load.target,
//                                                            latencylab.load.endpoint (not on
//                                                            dropped), latencylab.load.outcome
//                                                            (sent|late|dropped|error), error.type
//                                                            (the error kind, on error only)
//
// Every series a run is expected to produce is bound at construction, before the run starts: per
// target and endpoint the outcome counters, and the duration series of each expected status (200
// when the endpoint expects the default 2xx and 3xx) and of each transport error. A status nobody
// expected is bound the first time it appears (one allocation for the run, not per request). Per
// request: array look-ups and plain arithmetic, no hashing, no allocation.
//
// Threading: the io thread of the engine that owns it, like the Meter it records into.
//
//   LoadMetrics metrics(meter, plan);  // before the run
//   metrics.sent(target, endpoint, /*late=*/false);
//   metrics.finished(target, endpoint, {ErrorKind::none, 200}, service_time, latency);
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "loadgen/exchange_outcome.hpp"
#include "loadgen/run_plan.hpp"
#include "telemetry/instruments.hpp"
#include "telemetry/meter.hpp"

namespace latencylab::loadgen {

class LoadMetrics {
 public:
  // Creates the three instruments on `meter` (throws if the meter has an instrument of the same
  // name and another kind, unit or description).
  LoadMetrics(telemetry::Meter& meter, const RunPlan& plan);
  LoadMetrics(const LoadMetrics&) = delete;
  LoadMetrics& operator=(const LoadMetrics&) = delete;

  // A request handed to a connection; `late` when it left later than --late-after.
  void sent(std::size_t target, std::size_t endpoint, bool late) noexcept;
  // Requests that were never sent (open model).
  void dropped(std::size_t target, std::uint64_t count) noexcept;
  void finished(std::size_t target, std::size_t endpoint, const ExchangeOutcome& outcome,
                Nanos service_time, Nanos latency) noexcept;

 private:
  static constexpr std::size_t kStatusCodes = 600;
  using Counter = telemetry::BoundCounter<std::int64_t>;

  struct DurationSeries {
    telemetry::BoundHistogram service_time;  // http.client.request.duration
    telemetry::BoundHistogram latency;       // latencylab.load.request.duration
  };
  struct EndpointSeries {
    telemetry::AttributeList request_attributes;  // method, server, target, endpoint: for binding
    Counter sent;
    Counter late;
    std::array<std::optional<Counter>, kErrorKindCount> errors;        // by kind; none stays empty
    std::array<const DurationSeries*, kErrorKindCount> no_response{};  // transport errors
    std::array<const DurationSeries*, kStatusCodes> by_status{};       // bound on first sight
  };
  struct TargetSeries {
    Counter dropped;
    std::vector<EndpointSeries> endpoints;
  };

  // Binds the duration series of `status` (status > 0) or of a transport error (`kind`); nullptr
  // only if that allocation failed, and then the request is not recorded.
  const DurationSeries* bind_durations(EndpointSeries& endpoint, unsigned status,
                                       ErrorKind kind) noexcept;

  telemetry::Histogram service_time_;
  telemetry::Histogram latency_;
  telemetry::Counter<std::int64_t> requests_;
  std::vector<TargetSeries> targets_;
  std::deque<DurationSeries> bound_;  // stable addresses for the tables
};

}  // namespace latencylab::loadgen
