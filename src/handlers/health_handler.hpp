// GET /health (liveness: always 200 while the process serves) and GET /ready (readiness: 503 once
// a drain has begun, so load balancers stop sending new work).
//
//   HealthHandler health{registry};
//   router.add("/health", Verb::get, [&](auto& ctx) { return health.health(ctx); });
#pragma once

#include <chrono>
#include <string>

#include "core/asio.hpp"
#include "http/connection_registry.hpp"
#include "http/message.hpp"

namespace latencylab::handlers {

// {"status":"ok","timestamp":"<RFC 3339>"}
[[nodiscard]] std::string health_body(std::chrono::system_clock::time_point now);

class HealthHandler {
 public:
  explicit HealthHandler(const http::ConnectionRegistry& registry) noexcept : registry_(registry) {}

  awaitable<http::Response> health(http::RequestContext& ctx) const;
  awaitable<http::Response> ready(http::RequestContext& ctx) const;

 private:
  const http::ConnectionRegistry& registry_;
};

}  // namespace latencylab::handlers
