// RAII measurement of one HTTP server request (HTTP semantic conventions, see
// http_server_metrics.hpp for the instruments).
//
// Construct it on the io thread when the request header is parsed; it counts the request as
// active. Its destructor records the duration, the body sizes and decrements active_requests. A
// guard destroyed without set_response() is a request that got no response (the connection died,
// or the server stopped): it is recorded without http.response.status_code and with
// error.type="response_not_sent". 5xx responses get error.type = the status code ("503").
//
// Everything is noexcept and, once a (route, version, method, status) combination has been seen,
// free of allocation and hashing. Neither copyable nor movable: it lives in the session's frame.
//
//   RequestGuard guard(http_metrics, HttpMethod::get, HttpProtocolVersion::http_1_1, body.size());
//   guard.set_route(route_index);                 // optional: unmatched requests have no
//   http.route guard.set_response(200, response_body_size);  // when the response has been written
#pragma once

#include <chrono>
#include <cstdint>

#include "telemetry/http_server_metrics.hpp"

namespace latencylab::telemetry {

class RequestGuard {
 public:
  RequestGuard(HttpServerMetrics& metrics, HttpMethod method, HttpProtocolVersion version,
               std::uint64_t request_body_bytes) noexcept
      : metrics_(metrics),
        active_(metrics.active_requests(method)),
        start_(metrics.clock_()),
        request_body_bytes_(request_body_bytes),
        method_(method),
        version_(version) {
    if (active_ != nullptr) active_->add(1);
  }

  ~RequestGuard() {
    const auto elapsed = metrics_.clock_() - start_;
    if (active_ != nullptr) active_->add(-1);
    const auto* series = metrics_.series(route_slot_, version_, method_, status_slot_);
    if (series == nullptr) return;
    series->duration.record(std::chrono::duration<double>(elapsed).count());
    series->request_body_size.record(static_cast<double>(request_body_bytes_));
    if (series->response_body_size) {
      series->response_body_size->record(static_cast<double>(response_body_bytes_));
    }
  }

  RequestGuard(const RequestGuard&) = delete;
  RequestGuard& operator=(const RequestGuard&) = delete;
  RequestGuard(RequestGuard&&) = delete;
  RequestGuard& operator=(RequestGuard&&) = delete;

  // Index into the route templates given to HttpServerMetrics; an out-of-range index is ignored
  // (the request stays unmatched rather than reporting a wrong route).
  void set_route(std::size_t route_index) noexcept {
    if (route_index < metrics_.route_count()) {
      route_slot_ = static_cast<std::uint16_t>(route_index + 1);
    }
  }

  // For bodies whose size is only known after the header (chunked uploads).
  void set_request_body_size(std::uint64_t bytes) noexcept { request_body_bytes_ = bytes; }

  void set_response(unsigned status_code, std::uint64_t response_body_bytes) noexcept {
    status_slot_ = HttpServerMetrics::status_slot(status_code);
    response_body_bytes_ = response_body_bytes;
  }

 private:
  HttpServerMetrics& metrics_;
  const BoundUpDownCounter<std::int64_t>* active_;
  std::chrono::steady_clock::time_point start_;
  std::uint64_t request_body_bytes_;
  std::uint64_t response_body_bytes_ = 0;
  std::uint16_t route_slot_ = 0;
  std::uint16_t status_slot_ = HttpServerMetrics::kNoResponseSlot;
  HttpMethod method_;
  HttpProtocolVersion version_;
};

}  // namespace latencylab::telemetry
