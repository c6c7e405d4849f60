// The HTTP server metrics of the semantic conventions, and the dense table that makes recording
// them free of hashing and allocation per request.
//
//   instrument                       kind       unit       attributes
//   http.server.request.duration     histogram  s          method, route, status, scheme,
//                                                          version, error.type
//   http.server.request.body.size    histogram  By         (the same)
//   http.server.response.body.size   histogram  By         (the same; not without a response)
//   http.server.active_requests      updown     {request}  method, scheme
//
// error.type: the request's FailureCause when it has one (failure_cause.hpp), else the status code
// for 5xx, "response_not_sent" without a response, "_OTHER" for a status outside 100..599.
//
// A request's series is keyed by (route, protocol version, method, status). The first request with
// a combination resolves it: builds the attribute sets, binds the three histograms and stores the
// bound handles in a table indexed by small integers (allocation only then). Every later request
// with that combination is two array look-ups away from its cells. A request with a failure cause
// is keyed by the cause too, in a short list beside the status slots that a cause-less request
// never reads.
//
// A default-constructed HttpServerMetrics is disabled (OTEL_SDK_DISABLED=true): it records
// nothing, and a RequestGuard on it costs one predictable branch and reads no clock.
//
// Threading: io thread only. The route table is frozen at construction (before listen).
//
//   HttpServerMetrics http_metrics(meter, {"/health", "/api/orders/{id}"}, "http");
//   {
//     RequestGuard guard(http_metrics, HttpMethod::get, HttpProtocolVersion::http_1_1);
//     guard.set_route(1);
//     guard.set_response(200, 42);
//   }  // recorded here
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/failure_cause.hpp"
#include "telemetry/fast_steady_clock.hpp"
#include "telemetry/http_method.hpp"
#include "telemetry/instruments.hpp"
#include "telemetry/meter.hpp"

namespace latencylab::telemetry {

// error.type of a request whose guard ended without set_response(): the connection was closed or
// reset by the peer, a read/write failed, or the server stopped before a response was written.
inline constexpr std::string_view kErrorTypeResponseNotSent = "response_not_sent";

// One request as it is recorded when it ends.
struct FinishedRequest {
  static constexpr std::size_t kNoRoute = std::numeric_limits<std::size_t>::max();
  static constexpr unsigned kNoResponse = 0;

  HttpMethod method = HttpMethod::other;
  HttpProtocolVersion version = HttpProtocolVersion::http_1_1;
  std::size_t route_index = kNoRoute;       // into the route templates; out of range: no http.route
  unsigned status_code = kNoResponse;       // kNoResponse: error.type="response_not_sent"
  FailureCause cause = FailureCause::none;  // ignored without a response
  std::uint64_t request_body_bytes = 0;
  std::uint64_t response_body_bytes = 0;
  std::chrono::steady_clock::duration duration{};
};

class HttpServerMetrics {
 public:
  // Durations are differences of two readings of this clock. The default, fast_steady_now(), reads
  // the TSC when the kernel trusts it; tests inject a fake, benchmarks compare with steady_now.
  using SteadyClock = std::chrono::steady_clock::time_point (*)() noexcept;
  static std::chrono::steady_clock::time_point steady_now() noexcept {
    return std::chrono::steady_clock::now();
  }

  // Disabled: records nothing.
  HttpServerMetrics() noexcept;

  // `route_templates[i]` is what route index i reports as http.route; never a raw path.
  // Creates the four instruments on `meter` (throws if the meter has an instrument of the same name
  // and another kind, unit or description).
  HttpServerMetrics(Meter& meter, std::vector<std::string> route_templates, std::string url_scheme,
                    SteadyClock clock = &fast_steady_now);
  ~HttpServerMetrics();
  HttpServerMetrics(const HttpServerMetrics&) = delete;
  HttpServerMetrics& operator=(const HttpServerMetrics&) = delete;

  [[nodiscard]] bool enabled() const noexcept { return instruments_.has_value(); }

  // The recording interface (RequestGuard's); call only when enabled().
  [[nodiscard]] std::chrono::steady_clock::time_point now() const noexcept { return clock_(); }
  void request_started(HttpMethod method) noexcept;
  void request_finished(const FinishedRequest& request) noexcept;

 private:
  // Status codes 100..599 map to slots 0..499; two extra slots for "no response" and codes outside
  // that range (reported without a status code and with error.type=_OTHER).
  static constexpr std::size_t kFirstStatus = 100;
  static constexpr std::size_t kLastStatus = 599;
  static constexpr std::uint16_t kNoResponseSlot = kLastStatus - kFirstStatus + 1;
  static constexpr std::uint16_t kInvalidStatusSlot = kNoResponseSlot + 1;
  static constexpr std::size_t kStatusSlots = kInvalidStatusSlot + 1;

  static constexpr std::uint16_t status_slot(unsigned status_code) noexcept {
    if (status_code == FinishedRequest::kNoResponse) return kNoResponseSlot;
    return status_code >= kFirstStatus && status_code <= kLastStatus
               ? static_cast<std::uint16_t>(status_code - kFirstStatus)
               : kInvalidStatusSlot;
  }

  struct Instruments {
    Histogram duration;
    Histogram request_body_size;
    Histogram response_body_size;
    UpDownCounter<std::int64_t> active_requests;
  };
  struct RequestSeries {
    BoundHistogram duration;
    BoundHistogram request_body_size;
    std::optional<BoundHistogram> response_body_size;  // empty for the no-response slot
  };
  struct CausedSeries {
    std::uint16_t status_slot;
    FailureCause cause;
    const RequestSeries* series;
  };
  struct StatusTable {
    std::array<const RequestSeries*, kStatusSlots> by_status{};
    std::vector<CausedSeries> by_cause;  // a few entries: the causes a route's steps can report
  };

  // route_slot: 0 = no matched route, i + 1 = route_templates[i].
  [[nodiscard]] std::size_t table_index(std::uint16_t route_slot, HttpProtocolVersion version,
                                        HttpMethod method) const noexcept {
    return (static_cast<std::size_t>(route_slot) * kHttpProtocolVersionCount +
            static_cast<std::size_t>(version)) *
               kHttpMethodCount +
           static_cast<std::size_t>(method);
  }

  // nullptr only if resolving a new combination failed to allocate (then nothing is recorded).
  [[nodiscard]] const RequestSeries* series(std::uint16_t route_slot, HttpProtocolVersion version,
                                            HttpMethod method, std::uint16_t status_slot) noexcept {
    if (const StatusTable* table = tables_[table_index(route_slot, version, method)].get()) {
      if (const RequestSeries* found = table->by_status[status_slot]) return found;
    }
    return resolve(route_slot, version, method, status_slot, FailureCause::none);
  }
  [[nodiscard]] const RequestSeries* caused_series(std::uint16_t route_slot,
                                                   HttpProtocolVersion version, HttpMethod method,
                                                   std::uint16_t status_slot,
                                                   FailureCause cause) noexcept;

  // nullptr only if binding a method's series for the first time failed to allocate.
  [[nodiscard]] const BoundUpDownCounter<std::int64_t>* active_requests(
      HttpMethod method) noexcept {
    const auto& bound = active_by_method_[static_cast<std::size_t>(method)];
    return bound ? &*bound : resolve_active(method);
  }

  const RequestSeries* resolve(std::uint16_t route_slot, HttpProtocolVersion version,
                               HttpMethod method, std::uint16_t status_slot,
                               FailureCause cause) noexcept;
  const BoundUpDownCounter<std::int64_t>* resolve_active(HttpMethod method) noexcept;
  [[nodiscard]] AttributeList request_attributes(std::uint16_t route_slot,
                                                 HttpProtocolVersion version, HttpMethod method,
                                                 std::uint16_t status_slot,
                                                 FailureCause cause) const;

  // All members: io thread only.
  std::vector<std::string> routes_;
  std::string scheme_;
  SteadyClock clock_;
  std::optional<Instruments> instruments_;  // empty: disabled
  std::array<std::optional<BoundUpDownCounter<std::int64_t>>, kHttpMethodCount> active_by_method_;
  std::vector<std::unique_ptr<StatusTable>> tables_;  // (route slot, version, method), lazily
  std::deque<RequestSeries> resolved_;                // stable addresses for the tables
};

}  // namespace latencylab::telemetry
