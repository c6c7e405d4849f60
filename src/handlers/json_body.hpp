// Reads a request body as JSON under the service's rules: Content-Type must be application/json
// (415 otherwise), bounded nesting depth, no comments, valid UTF-8 (400 naming the problem).
//
//   auto order = read_valid_body<Order>(ctx.request, [&](const boost::json::value& json) {
//     return validate_order(json, max_items); });
//   if (auto* rejection = std::get_if<http::Response>(&order)) co_return std::move(*rejection);
#pragma once

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>
#include <string_view>
#include <variant>

#include "core/result.hpp"
#include "http/message.hpp"
#include "http/response.hpp"

namespace latencylab::handlers {

// Deep enough for any valid order or payment, shallow enough that nesting attacks stay cheap.
inline constexpr std::size_t kMaxJsonDepth = 16;

// The Problem::path of a body rejected for its Content-Type (answered 415, not 400).
inline constexpr std::string_view kContentTypeField = "Content-Type";

// The body as JSON, or a Problem whose path is kContentTypeField (not JSON) or empty (malformed).
// The returned value's storage lives in `memory`.
[[nodiscard]] core::Result<boost::json::value> parse_json_body(
    const http::Request& request, boost::json::monotonic_resource& memory);

[[nodiscard]] bool is_json_content_type(std::string_view content_type) noexcept;

// The answer to a body parse_json_body rejected: 415 for its Content-Type, else 400 malformed_json.
[[nodiscard]] http::Response unparsable_body_response(const http::Request& request,
                                                      const core::Problem& problem);

// Parses the body and validates it: the typed value, or the 400/415 response naming the problem.
// `validate` maps the JSON to a core::Result<T>.
template <typename T, typename Validate>
[[nodiscard]] std::variant<T, http::Response> read_valid_body(const http::Request& request,
                                                              Validate&& validate) {
  boost::json::monotonic_resource memory;
  auto body = parse_json_body(request, memory);
  if (!body) return unparsable_body_response(request, body.error());
  core::Result<T> value = validate(*body);
  if (!value) {
    return http::error_response(request, http::Status::bad_request, "invalid_field",
                                value.error().message);
  }
  return *std::move(value);
}

}  // namespace latencylab::handlers
