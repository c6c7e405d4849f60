#include "http/session.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <exception>
#include <optional>
#include <string>

#include "core/log.hpp"
#include "http/connection_deadline.hpp"
#include "http/framing.hpp"
#include "http/response.hpp"
#include "telemetry/request_guard.hpp"

namespace latencylab::http {
namespace {

using beast_http::field;
using Clock = std::chrono::steady_clock;
using Socket = asio::ip::tcp::socket;
using Phase = ConnectionDeadline::Phase;
using RequestParser = beast_http::request_parser<beast_http::string_body>;

// Not a registered field in Beast's table, so it is matched by name.
constexpr std::string_view kRequestIdHeader = "X-Request-Id";

// Enough for most requests in one read (the buffer grows up to the header/body limits), and at
// most 1 KiB, so that glibc serves it from its per-thread cache: the buffer is released while a
// request is handled and taken again for the next one (see serve_one_request).
constexpr std::size_t kReadChunk = 1024;

enum class After { keep_alive, close };

telemetry::HttpMethod to_telemetry_method(Verb verb) noexcept {
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

bool is_parse_error(const error_code& ec) noexcept {
  return ec.category() == beast_http::make_error_code(beast_http::error::bad_method).category() &&
         ec != beast_http::error::end_of_stream && ec != beast_http::error::partial_message;
}

// The I/O a session does, under the connection's deadline.
struct Connection {
  Socket& socket;
  beast::flat_buffer& buffer;
  ConnectionDeadline& deadline;
  ServerContext& context;

  awaitable<bool> write(Response& response) {
    deadline.expire_after(context.limits.write_timeout, Phase::write);
    auto [ec, written] = co_await beast_http::async_write(socket, response, use_nothrow);
    co_return !ec;
  }
};

// One request's measurement (request guard) and reporting (access log, request id).
class Exchange {
 public:
  Exchange(Connection& connection, const Request& header) : connection_(connection) {
    ServerContext& context = connection.context;
    method_ = header.method_string();
    request_id_ = context.request_ids.resolve(header[kRequestIdHeader]);  // a view into `header`
    if (context.metrics != nullptr) {
      guard_.emplace(*context.metrics, to_telemetry_method(header.method()),
                     telemetry::http_protocol_version_from_number(header.version()),
                     /*request_body_bytes=*/0);
    }
  }

  void set_route(std::size_t index, std::string_view route_template) noexcept {
    route_ = route_template;
    if (guard_) guard_->set_route(index);
  }

  void set_request_body_size(std::size_t bytes) noexcept {
    if (guard_) guard_->set_request_body_size(bytes);
  }

  // Before the response is written.
  void stamp(Response& response) const { response.set(kRequestIdHeader, request_id_.view()); }

  // After the client got the response (a response that could not be written is not recorded).
  void record(const Response& response) {
    const unsigned status = response.result_int();
    if (guard_) guard_->set_response(status, response.body().size());
    AccessLog& access_log = connection_.context.access_log;
    if (access_log.enabled() && access_log.sample()) {
      access_log.write({method_, route_, status, Clock::now() - start_, request_id_.view()});
    }
  }

 private:
  Connection& connection_;
  Clock::time_point start_ = Clock::now();
  std::string_view method_;
  std::string_view route_ = "-";
  RequestId request_id_;
  std::optional<telemetry::RequestGuard> guard_;
};

// For failures before a request header exists: no guard, no request to echo.
awaitable<After> reject_before_header(Connection& connection, Status status, std::string_view code,
                                      std::string message) {
  Response response = error_response_closing(status, code, message);
  co_await connection.write(response);
  co_return After::close;
}

// The answer to a request header that could not be read: 408, 431 or 400 and close, or just close
// when the client went away.
awaitable<After> reject_header(Connection& connection, const error_code& ec) {
  if (connection.deadline.expired()) {
    co_return co_await reject_before_header(connection, Status::request_timeout, "request_timeout",
                                            "the request header did not arrive in time");
  }
  if (ec == beast_http::error::header_limit) {
    co_return co_await reject_before_header(
        connection, Status::request_header_fields_too_large, "header_too_large",
        "the request header exceeds " +
            std::to_string(connection.context.limits.header_limit_bytes) + " bytes");
  }
  if (is_parse_error(ec)) {
    co_return co_await reject_before_header(connection, Status::bad_request, "bad_request",
                                            "malformed request: " + ec.message());
  }
  co_return After::close;  // the client went away mid-header
}

std::string too_large_message(std::size_t limit) {
  return "the request body exceeds " + std::to_string(limit) + " bytes";
}

// Decided from the header alone, before any of the body is read: the response to send (and
// close) when the framing is invalid or the declared body is over the limit.
std::optional<Response> check_header(const Limits& limits, RequestParser& parser) {
  if (auto problem = check_framing(parser.get())) {
    return error_response(parser.get(), problem->status, "bad_framing", problem->reason);
  }
  if (parser.content_length().value_or(0) > limits.body_limit_bytes) {
    return error_response(parser.get(), Status::payload_too_large, "body_too_large",
                          too_large_message(limits.body_limit_bytes));
  }
  parser.body_limit(limits.body_limit_bytes);  // still bounds chunked bodies
  return std::nullopt;
}

// Reads the rest of the body under the body deadline; on failure returns the response to send
// (and close).
awaitable<std::optional<Response>> read_body(Connection& connection, RequestParser& parser) {
  const Limits& limits = connection.context.limits;
  const Request& request = parser.get();
  if (beast::iequals(request[field::expect], "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    connection.deadline.expire_after(limits.write_timeout, Phase::write);
    auto [ec, n] =
        co_await asio::async_write(connection.socket, asio::buffer(kContinue), use_nothrow);
    if (ec) co_return error_response(request, Status::bad_request, "aborted", ec.message());
  }
  connection.deadline.expire_after(limits.body_timeout, Phase::body);
  auto [ec, n] =
      co_await beast_http::async_read(connection.socket, connection.buffer, parser, use_nothrow);
  if (!ec) co_return std::nullopt;
  if (ec == beast_http::error::body_limit) {
    co_return error_response(request, Status::payload_too_large, "body_too_large",
                             too_large_message(limits.body_limit_bytes));
  }
  if (connection.deadline.expired()) {
    co_return error_response(request, Status::request_timeout, "request_timeout",
                             "the request body did not arrive in time");
  }
  co_return error_response(request, Status::bad_request, "bad_request",
                           "malformed request body: " + ec.message());
}

// The response routing alone decides (404, 405), or nullopt when `match` found a handler.
std::optional<Response> routing_failure(const Request& request, const Router::Match& match,
                                        std::string_view path) {
  if (match.kind == Router::Match::Kind::not_found) {
    return error_response(request, Status::not_found, "not_found",
                          "no route for " + std::string(path));
  }
  if (match.kind == Router::Match::Kind::method_not_allowed) {
    Response response = error_response(
        request, Status::method_not_allowed, "method_not_allowed",
        std::string(request.method_string()) + " is not allowed on " + std::string(path));
    response.set(field::allow, match.allow);
    return response;
  }
  return std::nullopt;
}

awaitable<After> serve_one_request(Connection& connection) {
  ServerContext& context = connection.context;
  const Limits& limits = context.limits;
  RequestParser parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.header_limit_bytes));
  parser.body_limit(boost::none);  // decided in read_body() from Content-Length

  connection.deadline.expire_after(limits.header_timeout, Phase::header);
  auto [header_ec, header_bytes] = co_await beast_http::async_read_header(
      connection.socket, connection.buffer, parser, use_nothrow);
  if (header_ec) co_return co_await reject_header(connection, header_ec);

  // Rejections are built in helpers and every response is sent from one place: each temporary a
  // coroutine creates stays in its frame for the whole request, which is what a request in flight
  // costs in memory.
  Request& request = parser.get();
  Exchange exchange{connection, request};
  std::optional<Response> response = check_header(limits, parser);
  if (!response && !parser.is_done()) response = co_await read_body(connection, parser);
  bool keep_alive = false;  // a rejected request is answered and its connection closed
  if (!response) {
    exchange.set_request_body_size(request.body().size());
    // Nothing more to read until the response is sent: a request in flight holds no read buffer
    // (4 KiB per connection at 10k concurrent slow requests otherwise). Bytes of a pipelined
    // next request keep it.
    if (connection.buffer.size() == 0) connection.buffer.shrink_to_fit();

    // Routing and the handler run in this frame (no coroutine of their own: one frame
    // allocation and ~700 bytes per request in flight less).
    const auto [path, query] = split_target(request.target());
    const Router::Match match = context.router.match(request.method(), path);
    if (match.kind != Router::Match::Kind::not_found) {
      exchange.set_route(match.route_index, match.route_template);
    }
    response = routing_failure(request, match, path);
    if (!response) {
      RequestContext request_context{request, path, query, match.param};
      try {
        response.emplace(co_await (*match.handler)(request_context));
      } catch (const std::exception& failure) {
        log::error("handler_failed", {{"path", path}, {"what", failure.what()}});
        response.emplace(error_response(request, Status::internal_server_error, "internal_error",
                                        "the handler failed unexpectedly"));
      }
    }
    if (request.method() == Verb::head) response->body().clear();  // Content-Length stays GET's
    keep_alive = request.keep_alive() && response->keep_alive() && !context.registry.draining();
  }
  response->keep_alive(keep_alive);
  exchange.stamp(*response);
  const bool sent = co_await connection.write(*response);
  if (sent) exchange.record(*response);
  co_return sent&& keep_alive ? After::keep_alive : After::close;
}

}  // namespace

awaitable<void> run_session(Socket socket, ServerContext& context) {
  ConnectionRegistry::Registration registration{context.registry, socket};
  const auto deadline = ConnectionDeadline::start(socket);
  beast::flat_buffer buffer;
  Connection connection{socket, buffer, *deadline, context};
  while (!context.registry.draining()) {
    if (buffer.size() == 0) {
      // Wait for the first byte of the next request under the idle timeout, so the header
      // deadline measures the request, not the pause between requests.
      registration.set_idle(true);
      deadline->expire_after(context.limits.idle_timeout, Phase::idle);
      auto [ec, n] = co_await socket.async_read_some(buffer.prepare(kReadChunk), use_nothrow);
      registration.set_idle(false);
      if (ec) break;  // idle timeout, client closed, or drain: close quietly
      buffer.commit(n);
    }
    if (co_await serve_one_request(connection) == After::close) break;
  }
  deadline->stop();
  error_code ignored;
  socket.shutdown(Socket::shutdown_send, ignored);
}

}  // namespace latencylab::http
