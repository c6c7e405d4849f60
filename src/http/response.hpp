// Response builders: every body latencylab sends is JSON, every error names its problem. And the
// one serializer of the responses the server writes.
//
//   ctx.response = json_response(ctx.request, Status::created, body_text);
//   ctx.response = error_response(ctx.request, Status::bad_request, "invalid_field",
//                                 "items[0].qty must be an integer >= 1");
//
//   std::string head;
//   serialize_head(response, request_id.view(), head);  // write `head`, then response.body()
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

// Appends the status line and the header fields of `response` to `out`, and `request_id` as
// X-Request-Id unless it is empty (written here rather than inserted into Beast's field tree:
// ~600 instructions less per request); the body follows them as it is. Every response the builders
// above make carries its Content-Length, so this is all of HTTP/1.1 framing a server response needs
// (no chunked responses). Beast's serializer does the same through several layers of buffer views
// (~3k instructions per response more).
void serialize_head(const Response& response, std::string_view request_id, std::string& out);

}  // namespace latencylab::http
