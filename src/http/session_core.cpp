#include "http/session_core.hpp"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <string>
#include <tuple>

#include "http/framing.hpp"
#include "http/response.hpp"

namespace latencylab::http {
namespace {

// Enough for most requests in one read (the buffer grows up to the header/body limits). The
// buffer is released while a request is handled and taken again for the next one (see route()),
// so its size matters to glibc: at most 1000 bytes is a small-bin request, served from the
// per-thread cache or a small bin. From 1008 bytes on, whenever the cache is empty (under load
// more than its 7 buffers are released per event-loop turn), malloc first consolidates every
// free fastbin chunk: 360-750 instead of ~90 instructions per request at 50 connections.
constexpr std::size_t kReadChunk = 1000;

std::string too_large_message(std::size_t limit) {
  return "the request body exceeds " + std::to_string(limit) + " bytes";
}

}  // namespace

SessionCore::SessionCore(const Limits& limits, const Router& router)
    : limits_(limits), router_(router) {}

SessionCore::Step SessionCore::start_request() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(limits_.header_limit_bytes));
  parser_->body_limit(boost::none);  // decided in check_header() from Content-Length
  match_ = {};
  path_ = {};
  query_ = {};
  response_ = {};
  keep_alive_ = false;
  // The idle deadline runs until the first byte, so the header deadline measures the request,
  // not the pause between requests.
  enter(buffer_.size() == 0 ? ReadPhase::idle : ReadPhase::header);
  return buffer_.size() == 0 ? Step::read : parse();
}

void SessionCore::enter(ReadPhase phase) noexcept {
  read_phase_ = phase;
  phase_started_ = true;
}

asio::mutable_buffer SessionCore::read_buffer() {
  return buffer_.prepare(std::max(kReadChunk, buffer_.capacity() - buffer_.size()));
}

SessionCore::Step SessionCore::received(std::size_t bytes) {
  buffer_.commit(bytes);
  phase_started_ = false;
  if (read_phase_ == ReadPhase::idle) enter(ReadPhase::header);
  return parse();
}

// Feeds the buffered bytes to the parser until the header is complete (Step::header), the
// request is complete (Step::route), more bytes are needed (Step::read) or the bytes are invalid.
SessionCore::Step SessionCore::parse() {
  Parser& parser = *parser_;
  const bool in_header = read_phase_ != ReadPhase::body;
  while (buffer_.size() != 0) {
    error_code ec;
    const std::size_t used = parser.put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == beast_http::error::need_more) break;
    if (ec == beast_http::error::header_limit) {
      return reject_before_header(
          Status::request_header_fields_too_large, "header_too_large",
          "the request header exceeds " + std::to_string(limits_.header_limit_bytes) + " bytes");
    }
    if (ec == beast_http::error::body_limit) {
      return reject(Status::payload_too_large, "body_too_large",
                    too_large_message(limits_.body_limit_bytes));
    }
    if (ec && in_header) {
      return reject_before_header(Status::bad_request, "bad_request",
                                  "malformed request: " + ec.message());
    }
    if (ec) {
      return reject(Status::bad_request, "bad_request", "malformed request body: " + ec.message());
    }
    if (in_header && parser.is_header_done()) return Step::header;
    if (parser.is_done()) return Step::route;
    if (used == 0) break;  // nothing parsed without an error: wait for more bytes
  }
  return Step::read;
}

SessionCore::Step SessionCore::read_failed(bool timed_out, const error_code& ec) {
  switch (read_phase_) {
    case ReadPhase::idle:
      return Step::close;  // idle timeout, the client closed, or a drain: close quietly
    case ReadPhase::header:
      if (timed_out) {
        return reject_before_header(Status::request_timeout, "request_timeout",
                                    "the request header did not arrive in time");
      }
      return Step::close;  // the client went away mid-header
    case ReadPhase::body:
      break;
  }
  if (timed_out) {
    return reject(Status::request_timeout, "request_timeout",
                  "the request body did not arrive in time");
  }
  const error_code reason =
      ec == asio::error::eof ? error_code{beast_http::error::partial_message} : ec;
  return reject(Status::bad_request, "bad_request", "malformed request body: " + reason.message());
}

SessionCore::Step SessionCore::check_header() {
  Parser& parser = *parser_;
  if (auto problem = check_framing(parser.get())) {
    return reject(problem->status, "bad_framing", problem->reason);
  }
  if (parser.content_length().value_or(0) > limits_.body_limit_bytes) {
    return reject(Status::payload_too_large, "body_too_large",
                  too_large_message(limits_.body_limit_bytes));
  }
  if (parser.is_done()) return Step::route;
  parser.body_limit(limits_.body_limit_bytes);  // still bounds chunked bodies
  parser.eager(true);                           // the body in as few put() calls as possible
  enter(ReadPhase::body);
  if (beast::iequals(parser.get()[beast_http::field::expect], "100-continue")) {
    return Step::send_continue;
  }
  return parse();
}

SessionCore::Step SessionCore::continue_sent(const error_code& ec) {
  if (ec) return reject(Status::bad_request, "aborted", ec.message());
  return parse();
}

SessionCore::Step SessionCore::route(bool draining) {
  // Nothing more to read until the response is sent: a request in flight holds no read buffer
  // (4 KiB per connection at 10k concurrent slow requests otherwise). Bytes of a pipelined next
  // request keep it.
  if (buffer_.size() == 0) buffer_.shrink_to_fit();

  const Request& request = parser_->get();
  std::tie(path_, query_) = split_target(request.target());
  match_ = router_.match(request.method(), path_);
  switch (match_.kind) {
    case Router::Match::Kind::found:
      response_ = {};  // the handler answers into it, not into the previous request's answer
      return Step::handle;
    case Router::Match::Kind::not_found:
      response_ = error_response(request, Status::not_found, "not_found",
                                 "no route for " + std::string(path_));
      break;
    case Router::Match::Kind::method_not_allowed:
      response_ = error_response(
          request, Status::method_not_allowed, "method_not_allowed",
          std::string(request.method_string()) + " is not allowed on " + std::string(path_));
      response_.set(beast_http::field::allow, match_.allow);
      break;
  }
  return finish(draining);
}

RequestContext SessionCore::handler_context() noexcept {
  return RequestContext{parser_->get(), path_, query_, match_.param, response_};
}

SessionCore::Step SessionCore::respond(bool draining) {
  return finish(draining);
}

SessionCore::Step SessionCore::handler_failed(bool draining) {
  response_ = error_response(parser_->get(), Status::internal_server_error, "internal_error",
                             "the handler failed unexpectedly");
  return finish(draining);
}

SessionCore::Step SessionCore::finish(bool draining) {
  const Request& request = parser_->get();
  if (request.method() == Verb::head) response_.body().clear();  // Content-Length stays GET's
  const bool response_keep_alive = response_.keep_alive();
  keep_alive_ = response_keep_alive && request.keep_alive() && !draining;
  // Setting it rewrites the Connection field: only when the answer changed.
  if (keep_alive_ != response_keep_alive) response_.keep_alive(keep_alive_);
  return Step::send;
}

std::array<asio::const_buffer, 2> SessionCore::send_buffers(std::string_view request_id) {
  head_.clear();
  serialize_head(response_, request_id, head_);
  return {asio::buffer(head_), asio::buffer(response_.body())};
}

SessionCore::Step SessionCore::sent() {
  return keep_alive_ ? start_request() : Step::close;
}

// A rejected request is answered and its connection closed: what follows it on the connection
// cannot be trusted to start where this request ends.
SessionCore::Step SessionCore::reject(Status status, std::string_view code,
                                      std::string_view message) {
  response_ = error_response(parser_->get(), status, code, message);
  keep_alive_ = false;
  response_.keep_alive(false);
  return Step::send;
}

// No request to echo (version, keep-alive): HTTP/1.1 and `Connection: close`.
SessionCore::Step SessionCore::reject_before_header(Status status, std::string_view code,
                                                    std::string_view message) {
  response_ = error_response_closing(status, code, message);
  keep_alive_ = false;
  return Step::send;
}

}  // namespace latencylab::http
