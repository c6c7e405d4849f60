// The vocabulary of one downstream exchange (http::ClientPool): what is sent, what comes back, how
// it fails, and the pure serializer of the request head.
//
// Every request carries Host, User-Agent: latencylab and, when given, X-Request-Id; a body is sent
// as JSON with its Content-Length (POST, PUT and PATCH send Content-Length: 0 without one). The
// target and the request id are written as they are: the graph validates targets, and request ids
// come from RequestIdGenerator, so neither holds CR, LF or spaces.
//
//   std::string head;
//   serialize_request_head({Verb::post, "/api/payments", R"({"amount":5})", "id-1"},
//                          "127.0.0.1:8082", head);  // write `head`, then the body
//   ClientResult result = ClientError::timeout;
//   if (!result) std::string_view type = client_error_name(result.error());  // "timeout"
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace latencylab::http {

// Why a downstream exchange produced no usable response.
enum class ClientError : std::uint8_t {
  timeout,           // the per-try timeout passed (waiting for a connection, connect, write, read)
  connection_error,  // refused, reset, or closed by the server before a whole response arrived
  invalid_response,  // not HTTP/1.x, a 1xx status, or a header or body over the limits
  cancelled,         // the awaiting coroutine was cancelled through its cancellation slot
};
inline constexpr std::size_t kClientErrorCount = 4;

// "timeout", "connection_error", "invalid_response", "cancelled": also the error.type values.
[[nodiscard]] std::string_view client_error_name(ClientError error) noexcept;

// Found by boost::system::result through argument-dependent lookup: value() on an error throws
// std::runtime_error naming it (tests and startup code; exchanges are read with * and error()).
[[noreturn]] void throw_exception_from_error(ClientError error, const boost::source_location&);

// Views owned by the caller, valid until the exchange returns.
struct ClientRequest {
  Verb method = Verb::get;
  std::string_view target;      // origin form: "/api/orders?id=7"
  std::string_view body;        // empty: no body
  std::string_view request_id;  // empty: no X-Request-Id
};

struct ClientResponse {
  unsigned status = 0;
  std::string body;
};

using ClientResult = boost::system::result<ClientResponse, ClientError>;

// Replaces `out` with the request line and header fields of `request` (ending with the empty
// line), `host` as the Host field ("address:port"). Reusing `out` avoids allocating per request.
void serialize_request_head(const ClientRequest& request, std::string_view host, std::string& out);

// RFC 9110 9.2.2: a request that can be sent again without changing the outcome, so a client may
// retry it after the connection failed.
[[nodiscard]] bool is_idempotent(Verb method) noexcept;

}  // namespace latencylab::http
