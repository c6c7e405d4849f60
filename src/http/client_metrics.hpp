// The HTTP client metrics of the semantic conventions for downstream calls, and the per-server
// tables that make recording them free of hashing and allocation per call.
//
// - http.client.request.duration, histogram, s: http.request.method, server.address, server.port,
//  http.response.status_code (when a response came), error.type (when it failed);
// - http.client.open_connections, up-down counter, {connection}: http.connection.state
//  (active | idle), server.address, server.port.
//
// error.type: the ClientError's name (timeout, connection_error, invalid_response, cancelled) when
// no usable response came; the status code as a string for 4xx and 5xx (for a client both are
// errors, per the conventions' HTTP span status rules); `_OTHER` for a status outside 100..599.
//
// ClientMetrics owns the instruments (created once per service; every pool shares them).
// PeerMetrics is one downstream server's view: its two connection-state series are bound at
// construction, its duration series the first time a (method, outcome) combination occurs, into a
// table indexed by small integers, as telemetry::HttpServerMetrics does for the server. A
// default-constructed ClientMetrics is disabled (OTEL_SDK_DISABLED=true): its PeerMetrics record
// nothing.
//
// Threading: io thread only.
//
//   ClientMetrics client_metrics(meter);  // once per process
//   PeerMetrics peer(client_metrics, "127.0.0.1", 8081);
//   peer.connection_opened();  // counted active
//   peer.connection_idled();
//   peer.record(telemetry::HttpMethod::get, ClientOutcome::response(200), elapsed);
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/client_request.hpp"
#include "telemetry/http_method.hpp"
#include "telemetry/instruments.hpp"
#include "telemetry/meter.hpp"

namespace latencylab::http {

// How one exchange ended, as the duration histogram classifies it: a status code or an error.
class ClientOutcome {
 public:
  [[nodiscard]] static constexpr ClientOutcome response(unsigned status_code) noexcept {
    return ClientOutcome(status_code >= kFirstStatus && status_code <= kLastStatus
                             ? static_cast<std::uint16_t>(status_code - kFirstStatus)
                             : kInvalidStatusSlot);
  }
  [[nodiscard]] static constexpr ClientOutcome failure(ClientError error) noexcept {
    return ClientOutcome(
        static_cast<std::uint16_t>(kFirstErrorSlot + static_cast<unsigned>(error)));
  }

 private:
  friend class PeerMetrics;
  // Status codes 100..599 are slots 0..499, then one slot for codes outside that range, then one
  // per ClientError.
  static constexpr unsigned kFirstStatus = 100;
  static constexpr unsigned kLastStatus = 599;
  static constexpr std::uint16_t kInvalidStatusSlot = kLastStatus - kFirstStatus + 1;
  static constexpr std::uint16_t kFirstErrorSlot = kInvalidStatusSlot + 1;
  static constexpr std::size_t kSlots = kFirstErrorSlot + kClientErrorCount;

  constexpr explicit ClientOutcome(std::uint16_t slot) noexcept : slot_(slot) {}
  std::uint16_t slot_;
};

class ClientMetrics {
 public:
  // Disabled: records nothing.
  ClientMetrics() noexcept;
  // Creates the two instruments on `meter` (throws if the meter has an instrument of the same name
  // and another kind, unit or description).
  explicit ClientMetrics(telemetry::Meter& meter);
  ClientMetrics(const ClientMetrics&) = delete;
  ClientMetrics& operator=(const ClientMetrics&) = delete;

  [[nodiscard]] bool enabled() const noexcept { return instruments_.has_value(); }

 private:
  friend class PeerMetrics;
  struct Instruments {
    telemetry::Histogram duration;
    telemetry::UpDownCounter<std::int64_t> open_connections;
  };
  std::optional<Instruments> instruments_;  // empty: disabled
};

class PeerMetrics {
 public:
  // `address` and `port` are what server.address and server.port report. Binds the two
  // open-connection series (allocates; startup).
  PeerMetrics(ClientMetrics& metrics, std::string address, std::uint16_t port);
  ~PeerMetrics();
  PeerMetrics(const PeerMetrics&) = delete;
  PeerMetrics& operator=(const PeerMetrics&) = delete;

  // Connection state changes: a connection is opened by an exchange (active), goes idle between
  // exchanges, and is closed from either state.
  void connection_opened() noexcept { add_open(active_, 1); }
  void connection_idled() noexcept {
    add_open(active_, -1);
    add_open(idle_, 1);
  }
  void connection_reused() noexcept {
    add_open(idle_, -1);
    add_open(active_, 1);
  }
  void connection_closed(bool was_idle) noexcept { add_open(was_idle ? idle_ : active_, -1); }

  void record(telemetry::HttpMethod method, ClientOutcome outcome,
              std::chrono::steady_clock::duration duration) noexcept;

 private:
  struct OutcomeTable {
    std::array<std::optional<telemetry::BoundHistogram>, ClientOutcome::kSlots> by_outcome;
  };

  static void add_open(const std::optional<telemetry::BoundUpDownCounter<std::int64_t>>& series,
                       std::int64_t delta) noexcept {
    if (series) series->add(delta);
  }
  // nullptr only if binding a new combination failed to allocate (then nothing is recorded).
  const telemetry::BoundHistogram* resolve(telemetry::HttpMethod method,
                                           ClientOutcome outcome) noexcept;

  // All members: io thread only.
  ClientMetrics& metrics_;
  std::string address_;
  std::int64_t port_;
  std::optional<telemetry::BoundUpDownCounter<std::int64_t>> active_;  // empty: disabled
  std::optional<telemetry::BoundUpDownCounter<std::int64_t>> idle_;
  std::array<std::unique_ptr<OutcomeTable>, telemetry::kHttpMethodCount> tables_;  // lazily
};

}  // namespace latencylab::http
