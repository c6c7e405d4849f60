// Reads a request body as JSON under the service's rules: Content-Type must be application/json
// (415 otherwise), bounded nesting depth, no comments, valid UTF-8 (400 naming the problem).
//
//   auto order = read_valid_body<Order>(ctx.request, [&](const boost::json::value& json) {
//     return validate_order(json, max_items); });
//   if (auto* rejection = std::get_if<http::Response>(&order)) co_return std::move(*rejection);
#pragma once

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <variant>

#include "handlers/validation_error.hpp"
#include "http/message.hpp"
#include "http/response.hpp"

namespace latencylab::handlers {

struct BodyRejection {
  http::Status status;  // 415 or 400
  std::string code;
  std::string message;
};

// Deep enough for any valid order or payment, shallow enough that nesting attacks stay cheap.
inline constexpr std::size_t kMaxJsonDepth = 16;

// The returned value's storage lives in `memory`.
[[nodiscard]] std::variant<boost::json::value, BodyRejection> parse_json_body(
    const http::Request& request, boost::json::monotonic_resource& memory);

[[nodiscard]] bool is_json_content_type(std::string_view content_type) noexcept;

// Parses the body and validates it: the typed value, or the 400/415 response naming the problem.
//   auto order = read_valid_body<Order>(ctx.request, [&](const auto& json) {
//     return validate_order(json, max_items); });
template <typename T, typename Validate>
[[nodiscard]] std::variant<T, http::Response> read_valid_body(const http::Request& request,
                                                              Validate&& validate) {
  boost::json::monotonic_resource memory;
  auto body = parse_json_body(request, memory);
  if (auto* rejected = std::get_if<BodyRejection>(&body)) {
    return http::error_response(request, rejected->status, rejected->code, rejected->message);
  }
  Validated<T> value = validate(std::get<boost::json::value>(body));
  if (auto* invalid = std::get_if<ValidationError>(&value)) {
    return http::error_response(request, http::Status::bad_request, "invalid_field",
                                invalid->message);
  }
  return std::get<T>(std::move(value));
}

}  // namespace latencylab::handlers
