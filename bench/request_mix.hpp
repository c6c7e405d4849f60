// The request mix shared by the request-guard benchmark and its callgrind driver: 4 routes x
// 2 methods x 3 statuses, visited in a fixed rotation so the series tables are exercised the way a
// real server uses them rather than one hot cell.
//
//   for (std::size_t i = 0; i < n; ++i) run_one_request(http, kRequestMix[i % kRequestMix.size()]);
#pragma once

#include <array>
#include <string>
#include <vector>

#include "telemetry/request_guard.hpp"

namespace latencylab::bench {

struct MixedRequest {
  telemetry::HttpMethod method;
  std::size_t route;
  unsigned status;
};

inline const std::vector<std::string> kRoutes = {"/health", "/api/orders", "/api/orders/{id}",
                                                 "/api/payments"};

inline constexpr std::array<MixedRequest, 8> kRequestMix = {{
    {telemetry::HttpMethod::get, 0, 200},
    {telemetry::HttpMethod::get, 2, 200},
    {telemetry::HttpMethod::post, 1, 201},
    {telemetry::HttpMethod::get, 2, 404},
    {telemetry::HttpMethod::post, 3, 200},
    {telemetry::HttpMethod::get, 1, 200},
    {telemetry::HttpMethod::post, 3, 503},
    {telemetry::HttpMethod::get, 0, 200},
}};

// Everything the http layer does with a guard for one request: construct, route, respond, destroy.
inline void run_one_request(telemetry::HttpServerMetrics& http, const MixedRequest& r) noexcept {
  telemetry::RequestGuard guard(http, r.method, telemetry::HttpProtocolVersion::http_1_1);
  guard.set_request_body_size(128);
  guard.set_route(r.route);
  guard.set_response(r.status, 512);
}

// Resolves every combination of the mix once (the only allocations), so measurements see the
// steady state.
inline void warm_up(telemetry::HttpServerMetrics& http) {
  for (const auto& r : kRequestMix) run_one_request(http, r);
}

}  // namespace latencylab::bench
