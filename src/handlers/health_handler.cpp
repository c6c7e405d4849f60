#include "handlers/health_handler.hpp"

#include <string_view>

#include "core/wall_clock.hpp"
#include "http/response.hpp"

namespace latencylab::handlers {

std::string health_body(std::chrono::system_clock::time_point now) {
  // Appended into one reserved string: the chained `+` reallocated it twice per /health.
  constexpr std::string_view kHead = R"({"status":"ok","timestamp":")";
  constexpr std::string_view kTail = "\"}";
  const std::string timestamp = core::format_rfc3339(now);
  std::string body;
  body.reserve(kHead.size() + timestamp.size() + kTail.size());
  body.append(kHead).append(timestamp).append(kTail);
  return body;
}

awaitable<http::Response> HealthHandler::health(http::RequestContext& ctx) const {
  co_return http::json_response(ctx.request, http::Status::ok,
                                health_body(std::chrono::system_clock::now()));
}

awaitable<http::Response> HealthHandler::ready(http::RequestContext& ctx) const {
  if (draining_()) {
    co_return http::json_response(ctx.request, http::Status::service_unavailable,
                                  R"({"status":"draining"})");
  }
  co_return http::json_response(ctx.request, http::Status::ok, R"({"status":"ready"})");
}

void HealthHandler::register_routes(http::Router& router) const {
  router.add("/health", http::Verb::get, [this](auto& ctx) { return health(ctx); });
  router.add("/ready", http::Verb::get, [this](auto& ctx) { return ready(ctx); });
}

}  // namespace latencylab::handlers
