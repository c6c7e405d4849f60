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

// Enough for most requests in one read; the buffer grows up to the header/body limits.
constexpr std::size_t kReadChunk = 4096;

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
    request_id_ = context.request_ids.resolve(header[kRequestIdHeader]);
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

  // Writes the response; records it only if the client got it.
  awaitable<bool> send(Response& response) {
    response.set(kRequestIdHeader, request_id_);
    if (!co_await connection_.write(response)) co_return false;
    const unsigned status = response.result_int();
    if (guard_) guard_->set_response(status, response.body().size());
    AccessLog& access_log = connection_.context.access_log;
    if (access_log.enabled() && access_log.sample()) {
      access_log.write({method_, route_, status, Clock::now() - start_, request_id_});
    }
    co_return true;
  }

 private:
  Connection& connection_;
  Clock::time_point start_ = Clock::now();
  std::string_view method_;
  std::string_view route_ = "-";
  std::string request_id_;
  std::optional<telemetry::RequestGuard> guard_;
};

awaitable<After> respond_and_close(Exchange& exchange, Response response) {
  response.keep_alive(false);
  co_await exchange.send(response);
  co_return After::close;
}

// For failures before a request header exists: no guard, no request to echo.
awaitable<After> reject_before_header(Connection& connection, Status status, std::string_view code,
                                      std::string message) {
  Response response = error_response_closing(status, code, message);
  co_await connection.write(response);
  co_return After::close;
}

std::string too_large_message(std::size_t limit) {
  return "the request body exceeds " + std::to_string(limit) + " bytes";
}

// Reads the body under the body deadline; on failure returns the response to send (and close).
awaitable<std::optional<Response>> read_body(Connection& connection, RequestParser& parser) {
  const Limits& limits = connection.context.limits;
  const Request& request = parser.get();
  if (parser.content_length().value_or(0) > limits.body_limit_bytes) {
    co_return error_response(request, Status::payload_too_large, "body_too_large",
                             too_large_message(limits.body_limit_bytes));
  }
  parser.body_limit(limits.body_limit_bytes);  // still bounds chunked bodies
  if (parser.is_done()) co_return std::nullopt;
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

std::pair<std::string_view, std::string_view> split_target(std::string_view target) noexcept {
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

awaitable<Response> dispatch(ServerContext& context, Exchange& exchange, Request& request) {
  const auto [path, query] = split_target(request.target());
  const Router::Match match = context.router.match(request.method(), path);
  if (match.kind == Router::Match::Kind::not_found) {
    co_return error_response(request, Status::not_found, "not_found",
                             "no route for " + std::string(path));
  }
  exchange.set_route(match.route_index, match.route_template);
  if (match.kind == Router::Match::Kind::method_not_allowed) {
    Response response = error_response(
        request, Status::method_not_allowed, "method_not_allowed",
        std::string(request.method_string()) + " is not allowed on " + std::string(path));
    response.set(field::allow, match.allow);
    co_return response;
  }
  RequestContext request_context{request, path, query, match.param};
  try {
    co_return co_await (*match.handler)(request_context);
  } catch (const std::exception& failure) {
    log::error("handler_failed", {{"path", path}, {"what", failure.what()}});
  }
  co_return error_response(request, Status::internal_server_error, "internal_error",
                           "the handler failed unexpectedly");
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
  if (header_ec) {
    if (connection.deadline.expired()) {
      co_return co_await reject_before_header(connection, Status::request_timeout,
                                              "request_timeout",
                                              "the request header did not arrive in time");
    }
    if (header_ec == beast_http::error::header_limit) {
      co_return co_await reject_before_header(
          connection, Status::request_header_fields_too_large, "header_too_large",
          "the request header exceeds " + std::to_string(limits.header_limit_bytes) + " bytes");
    }
    if (is_parse_error(header_ec)) {
      co_return co_await reject_before_header(connection, Status::bad_request, "bad_request",
                                              "malformed request: " + header_ec.message());
    }
    co_return After::close;  // the client went away mid-header
  }

  Request& request = parser.get();
  Exchange exchange{connection, request};
  if (auto problem = check_framing(request)) {
    co_return co_await respond_and_close(
        exchange, error_response(request, problem->status, "bad_framing", problem->reason));
  }
  if (auto failure = co_await read_body(connection, parser)) {
    co_return co_await respond_and_close(exchange, std::move(*failure));
  }
  exchange.set_request_body_size(request.body().size());

  Response response = co_await dispatch(context, exchange, request);
  if (request.method() == Verb::head) response.body().clear();  // Content-Length stays GET's
  const bool keep_alive =
      request.keep_alive() && response.keep_alive() && !context.registry.draining();
  response.keep_alive(keep_alive);
  const bool sent = co_await exchange.send(response);
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
