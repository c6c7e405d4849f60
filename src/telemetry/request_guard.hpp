// RAII measurement of one HTTP server request (HTTP semantic conventions, see
// http_server_metrics.hpp for the instruments).
//
// Construct it on the io thread when the request header is parsed; it counts the request as
// active. Its destructor records the duration, the body sizes and decrements active_requests. A
// guard destroyed without set_response() is a request that got no response (the connection died,
// or the server stopped): it is recorded without http.response.status_code and with
// error.type="response_not_sent". A response with a failure cause (set_failure_cause) gets
// error.type = the cause ("pool_timeout"), other 5xx responses the status code ("503").
//
// Everything is noexcept and, once a (route, version, method, status) combination has been seen,
// free of allocation and hashing. On disabled metrics it does nothing (one branch at each end).
// Neither copyable nor movable: it lives in the session's frame.
//
//   RequestGuard guard(http_metrics, HttpMethod::post, HttpProtocolVersion::http_1_1);
//   guard.set_route(route_index);              // optional: unmatched requests have no http.route
//   guard.set_request_body_size(body.size());  // once the body has been read
//   guard.set_failure_cause(FailureCause::none);    // what the handler said went wrong, if anything
//   guard.set_response(201, response_body.size());  // once the response has been written
#pragma once

#include <cstdint>

#include "telemetry/http_server_metrics.hpp"

namespace latencylab::telemetry {

class RequestGuard {
 public:
  RequestGuard(HttpServerMetrics& metrics, HttpMethod method, HttpProtocolVersion version) noexcept
      : metrics_(metrics) {
    request_.method = method;
    request_.version = version;
    if (!metrics_.enabled()) return;
    start_ = metrics_.now();
    metrics_.request_started(method);
  }

  ~RequestGuard() {
    if (!metrics_.enabled()) return;
    request_.duration = metrics_.now() - start_;
    metrics_.request_finished(request_);
  }

  RequestGuard(const RequestGuard&) = delete;
  RequestGuard& operator=(const RequestGuard&) = delete;
  RequestGuard(RequestGuard&&) = delete;
  RequestGuard& operator=(RequestGuard&&) = delete;

  // Index into the route templates given to HttpServerMetrics; an out-of-range index is ignored
  // (the request stays unmatched rather than reporting a wrong route).
  void set_route(std::size_t route_index) noexcept { request_.route_index = route_index; }

  void set_request_body_size(std::uint64_t bytes) noexcept { request_.request_body_bytes = bytes; }

  void set_failure_cause(FailureCause cause) noexcept { request_.cause = cause; }

  void set_response(unsigned status_code, std::uint64_t response_body_bytes) noexcept {
    request_.status_code = status_code;
    request_.response_body_bytes = response_body_bytes;
  }

 private:
  HttpServerMetrics& metrics_;
  std::chrono::steady_clock::time_point start_;
  FinishedRequest request_;
};

}  // namespace latencylab::telemetry
