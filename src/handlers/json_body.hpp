// Reads a request body as JSON under the service's rules: Content-Type must be application/json
// (415 otherwise), bounded nesting depth, no comments, valid UTF-8 (400 naming the problem).
//
//   boost::json::monotonic_resource memory;
//   auto parsed = parse_json_body(ctx.request, memory);
//   if (auto* rejected = std::get_if<BodyRejection>(&parsed)) co_return rejected->to_response(...);
#pragma once

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <variant>

#include "http/message.hpp"

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

}  // namespace latencylab::handlers
