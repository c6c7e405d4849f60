#include "http/session.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <exception>
#include <optional>
#include <string>

#include "core/log.hpp"
#include "http/framing.hpp"
#include "http/response.hpp"
#include "telemetry/request_guard.hpp"

namespace latencylab::http {
namespace {

using beast_http::field;
using Clock = std::chrono::steady_clock;

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

// One request's progress through the session; the guard measures it, the access log reports it.
class Exchange {
 public:
  Exchange(beast::tcp_stream& stream, ServerContext& context)
      : stream_(stream), context_(context), start_(Clock::now()) {}

  void start_measuring(const beast_http::request_header<>& header) {
    method_ = header.method_string();
    request_id_ = context_.request_ids.resolve(header[kRequestIdHeader]);
    if (context_.metrics != nullptr) {
      guard_.emplace(*context_.metrics, to_telemetry_method(header.method()),
                     telemetry::http_protocol_version_from_number(header.version()),
                     /*request_body_bytes=*/0);
    }
  }

  void set_route(std::size_t index, std::string_view route_template) {
    route_ = route_template;
    if (guard_) guard_->set_route(index);
  }

  void set_request_body_size(std::size_t bytes) {
    if (guard_) guard_->set_request_body_size(bytes);
  }

  // Writes the response; records it only if the client got it.
  awaitable<bool> send(Response& response) {
    if (!request_id_.empty()) response.set(kRequestIdHeader, request_id_);
    stream_.expires_after(context_.limits.write_timeout);
    auto [ec, written] = co_await beast_http::async_write(stream_, response, use_nothrow);
    if (ec) co_return false;
    const unsigned status = response.result_int();
    if (guard_) guard_->set_response(status, response.body().size());
    if (context_.access_log.enabled() && context_.access_log.sample()) {
      context_.access_log.write({method_, route_, status, Clock::now() - start_,
                                 request_id_});
    }
    co_return true;
  }

 private:
  beast::tcp_stream& stream_;
  ServerContext& context_;
  Clock::time_point start_;
  std::string_view method_ = "-";
  std::string_view route_ = "-";
  std::string request_id_;
  std::optional<telemetry::RequestGuard> guard_;
};

awaitable<After> respond_and_close(Exchange& exchange, Response response) {
  response.keep_alive(false);
  co_await exchange.send(response);
  co_return After::close;
}

awaitable<After> reject_before_header(beast::tcp_stream& stream, const Limits& limits,
                                      Status status, std::string_view code,
                                      std::string_view message) {
  Response response = error_response_closing(status, code, message);
  stream.expires_after(limits.write_timeout);
  co_await beast_http::async_write(stream, response, use_nothrow);
  co_return After::close;
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
  exchange.set_route(match.route_index, context.router.route_templates()[match.route_index]);
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

bool is_parse_error(const error_code& ec) noexcept {
  return ec.category() == beast_http::make_error_code(beast_http::error::bad_method).category() &&
         ec != beast_http::error::end_of_stream && ec != beast_http::error::partial_message;
}

// Reads the body under the body deadline; on failure returns the response to send (and close).
awaitable<std::optional<Response>> read_body(
    beast::tcp_stream& stream, beast::flat_buffer& buffer,
    beast_http::request_parser<beast_http::string_body>& parser, const Limits& limits) {
  const Request& request = parser.get();
  if (parser.content_length().value_or(0) > limits.body_limit_bytes) {
    co_return error_response(request, Status::payload_too_large, "body_too_large",
                             "the request body exceeds " +
                                 std::to_string(limits.body_limit_bytes) + " bytes");
  }
  parser.body_limit(limits.body_limit_bytes);  // still bounds chunked bodies
  if (parser.is_done()) co_return std::nullopt;
  if (beast::iequals(request[field::expect], "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    stream.expires_after(limits.write_timeout);
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(kContinue), use_nothrow);
    if (ec) co_return error_response(request, Status::bad_request, "aborted", ec.message());
  }
  stream.expires_after(limits.body_timeout);
  auto [ec, n] = co_await beast_http::async_read(stream, buffer, parser, use_nothrow);
  if (!ec) co_return std::nullopt;
  if (ec == beast_http::error::body_limit) {
    co_return error_response(request, Status::payload_too_large, "body_too_large",
                             "the request body exceeds " +
                                 std::to_string(limits.body_limit_bytes) + " bytes");
  }
  if (ec == beast::error::timeout) {
    co_return error_response(request, Status::request_timeout, "request_timeout",
                             "the request body did not arrive in time");
  }
  co_return error_response(request, Status::bad_request, "bad_request",
                           "malformed request body: " + ec.message());
}

awaitable<After> serve_one_request(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                   ServerContext& context) {
  const Limits& limits = context.limits;
  beast_http::request_parser<beast_http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.header_limit_bytes));
  parser.body_limit(boost::none);  // decided in read_body() from Content-Length

  stream.expires_after(limits.header_timeout);
  auto [header_ec, header_bytes] =
      co_await beast_http::async_read_header(stream, buffer, parser, use_nothrow);
  if (header_ec == beast::error::timeout) {
    co_return co_await reject_before_header(stream, limits, Status::request_timeout,
                                           "request_timeout",
                                           "the request header did not arrive in time");
  }
  if (header_ec == beast_http::error::header_limit) {
    co_return co_await reject_before_header(
        stream, limits, Status::request_header_fields_too_large, "header_too_large",
        "the request header exceeds " + std::to_string(limits.header_limit_bytes) + " bytes");
  }
  if (is_parse_error(header_ec)) {
    co_return co_await reject_before_header(stream, limits, Status::bad_request, "bad_request",
                                           "malformed request: " + header_ec.message());
  }
  if (header_ec) co_return After::close;  // the client went away mid-header

  Exchange exchange{stream, context};
  Request& request = parser.get();
  exchange.start_measuring(request);
  if (auto problem = check_framing(request)) {
    co_return co_await respond_and_close(
        exchange, error_response(request, problem->status, "bad_framing", problem->reason));
  }
  if (auto failure = co_await read_body(stream, buffer, parser, limits)) {
    co_return co_await respond_and_close(exchange, std::move(*failure));
  }
  exchange.set_request_body_size(request.body().size());

  Response response = co_await dispatch(context, exchange, request);
  if (request.method() == Verb::head) response.body().clear();  // Content-Length stays GET's
  const bool keep_alive =
      request.keep_alive() && response.keep_alive() && !context.registry.draining();
  response.keep_alive(keep_alive);
  const bool sent = co_await exchange.send(response);
  co_return sent && keep_alive ? After::keep_alive : After::close;
}

}  // namespace

awaitable<void> run_session(asio::ip::tcp::socket socket, ServerContext& context) {
  beast::tcp_stream stream(std::move(socket));
  ConnectionRegistry::Registration registration{context.registry, stream};
  beast::flat_buffer buffer;
  while (!context.registry.draining()) {
    if (buffer.size() == 0) {
      registration.set_idle(true);
      stream.expires_after(context.limits.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kReadChunk), use_nothrow);
      registration.set_idle(false);
      if (ec) break;  // idle timeout, client closed, or drain: close quietly
      buffer.commit(n);
    }
    if (co_await serve_one_request(stream, buffer, context) == After::close) break;
  }
  error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace latencylab::http
