// GET /health (liveness: always 200 while the process serves) and GET /ready (readiness: 503 once
// a drain has begun, so load balancers stop sending new work).
//
//   HealthHandler health{[&registry] { return registry.draining(); }};
//   router.add("/health", Verb::get, [&](auto& ctx) { return health.health(ctx); });
//   router.add("/ready", Verb::get, [&](auto& ctx) { return health.ready(ctx); });
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>

#include "core/asio.hpp"
#include "http/message.hpp"

namespace latencylab::handlers {

// {"status":"ok","timestamp":"<RFC 3339>"}
[[nodiscard]] std::string health_body(std::chrono::system_clock::time_point now);

class HealthHandler {
 public:
  // `draining` answers whether a drain has begun; called on the io thread for each /ready.
  explicit HealthHandler(std::function<bool()> draining) noexcept
      : draining_(std::move(draining)) {}

  awaitable<http::Response> health(http::RequestContext& ctx) const;
  awaitable<http::Response> ready(http::RequestContext& ctx) const;

 private:
  std::function<bool()> draining_;
};

}  // namespace latencylab::handlers
