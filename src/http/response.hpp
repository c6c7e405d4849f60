// Response builders: every body latencylab sends is JSON, every error names its problem.
//
//   co_return json_response(ctx.request, Status::created, body_text);
//   co_return error_response(ctx.request, Status::bad_request, "invalid_field",
//                            "items[0].qty must be an integer >= 1");
#pragma once

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace latencylab::http {

// `request` supplies the HTTP version and keep-alive default; the session adjusts keep-alive.
[[nodiscard]] Response json_response(const Request& request, Status status, std::string body);

// {"error": code, "message": message}; `code` is a stable machine-readable word.
[[nodiscard]] Response error_response(const Request& request, Status status, std::string_view code,
                                      std::string_view message);

// The same for a response sent before (or without) a parsed request, e.g. 431 or the
// over-capacity 503: HTTP/1.1 and `Connection: close`.
[[nodiscard]] Response error_response_closing(Status status, std::string_view code,
                                              std::string_view message);

}  // namespace latencylab::http
