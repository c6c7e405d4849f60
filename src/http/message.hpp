// The HTTP vocabulary handlers and the session share: Beast message types and the per-request
// context a handler receives.
//
//   awaitable<void> get_order(RequestContext& context) {  // routed from /api/orders/{id}
//     context.response = json_response(context.request, Status::ok,
//                                      R"({"id":")" + std::string(context.path_param) + R"("})");
//     co_return;
//   }
//   const auto [path, query] = split_target("/api/orders?limit=5");  // "/api/orders", "limit=5"
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string_view>
#include <utility>

#include "core/asio.hpp"
#include "telemetry/failure_cause.hpp"
#include "telemetry/http_method.hpp"

namespace latencylab::http {

namespace beast_http = boost::beast::http;

using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;
using Status = beast_http::status;
using Verb = beast_http::verb;

// Everything a handler may look at; views point into the request, valid until the handler returns.
// The handler answers into `response` (the one the session sends) rather than returning it: a
// returned response would be held in the handler's coroutine frame and again in the session's
// while the request is parked.
struct RequestContext {
  const Request& request;
  std::string_view path;        // without the query string
  std::string_view query;       // after '?', empty when absent
  std::string_view path_param;  // the {id} of a parameterised route, empty otherwise
  Response& response;           // empty when the handler starts; every handler sets it
  // Set by a handler whose answer is a failure with a known cause: the request's error.type.
  telemetry::FailureCause failure_cause = telemetry::FailureCause::none;
};

// A request target split at the first '?': (path, query), the query empty when there is none.
[[nodiscard]] inline std::pair<std::string_view, std::string_view> split_target(
    std::string_view target) noexcept {
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

// http.request.method as the telemetry layer records it (RequestGuard, ClientPool).
[[nodiscard]] constexpr telemetry::HttpMethod to_telemetry_method(Verb verb) noexcept {
  switch (verb) {
    case Verb::get:
      return telemetry::HttpMethod::get;
    case Verb::head:
      return telemetry::HttpMethod::head;
    case Verb::post:
      return telemetry::HttpMethod::post;
    case Verb::put:
      return telemetry::HttpMethod::put;
    case Verb::delete_:
      return telemetry::HttpMethod::delete_;
    case Verb::connect:
      return telemetry::HttpMethod::connect;
    case Verb::options:
      return telemetry::HttpMethod::options;
    case Verb::trace:
      return telemetry::HttpMethod::trace;
    case Verb::patch:
      return telemetry::HttpMethod::patch;
    default:
      return telemetry::HttpMethod::other;
  }
}

}  // namespace latencylab::http
