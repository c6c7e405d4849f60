#include "handlers/health_handler.hpp"

#include <string_view>

#include "core/wall_clock.hpp"
#include "http/response.hpp"

namespace latencylab::handlers {

std::string health_body(std::chrono::system_clock::time_point now) {
  // One allocation: the chained `+` of a timestamp string reallocated the body twice per /health.
  constexpr std::string_view kHead = R"({"status":"ok","timestamp":")";
  constexpr std::string_view kTail = "\"}";
  std::string body;
  body.reserve(kHead.size() + core::kRfc3339Size + kTail.size());
  body.append(kHead);
  core::append_rfc3339(body, now);
  body.append(kTail);
  return body;
}

awaitable<void> HealthHandler::health(http::RequestContext& ctx) const {
  ctx.response = http::json_response(ctx.request, http::Status::ok,
                                     health_body(std::chrono::system_clock::now()));
  co_return;
}

awaitable<void> HealthHandler::ready(http::RequestContext& ctx) const {
  ctx.response = draining_()
                     ? http::json_response(ctx.request, http::Status::service_unavailable,
                                           R"({"status":"draining"})")
                     : http::json_response(ctx.request, http::Status::ok, R"({"status":"ready"})");
  co_return;
}

void HealthHandler::register_routes(http::Router& router) const {
  router.add("/health", http::Verb::get, [this](auto& ctx) { return health(ctx); });
  router.add("/ready", http::Verb::get, [this](auto& ctx) { return ready(ctx); });
}

}  // namespace latencylab::handlers
