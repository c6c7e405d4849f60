// GET /health (liveness: always 200 while the process serves) and GET /ready (readiness: 503 once
// a drain has begun, so load balancers stop sending new work).
//
//   HealthHandler health{[&registry] { return registry.draining(); }};
//   health.register_routes(router);  // GET /health and GET /ready
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>

#include "core/asio.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace latencylab::handlers {

// {"status":"ok","timestamp":"<RFC 3339>"}
[[nodiscard]] std::string health_body(std::chrono::system_clock::time_point now);

class HealthHandler {
 public:
  // `draining` answers whether a drain has begun; called on the io thread for each /ready.
  explicit HealthHandler(std::function<bool()> draining) noexcept
      : draining_(std::move(draining)) {}

  awaitable<void> health(http::RequestContext& ctx) const;
  awaitable<void> ready(http::RequestContext& ctx) const;

  // Adds GET /health and GET /ready, answered by this handler (which must outlive the router).
  void register_routes(http::Router& router) const;

 private:
  std::function<bool()> draining_;
};

}  // namespace latencylab::handlers
