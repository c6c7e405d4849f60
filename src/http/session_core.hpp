// The protocol decisions of one HTTP/1.1 server connection, without I/O (sans-I/O, like h11 or
// quinn-proto): bytes go in, the next step comes out. http/session.cpp drives it with a socket;
// the request fuzzer and tests/http/session_core_test.cpp drive it with plain buffers.
//
// It decides: the header limit (431) and malformed requests (400), RFC 9112 framing (400/501, see
// framing.hpp), the body limit from Content-Length before the body is read and while a chunked
// body is read (413), `Expect: 100-continue`, which deadline a read runs under and the answer
// when it passes (408), routing (404, 405 with Allow), the 500 for a failed handler, dropping the
// body of a HEAD response, and whether the connection is kept alive or closed afterwards. Every
// rejection is answered with a JSON error and closes the connection. Pipelined requests are
// answered in order: the next request is parsed only after the previous response was sent.
//
// Threading: one per connection, used by the thread that owns the connection.
//
//   SessionCore core{limits, router};
//   for (auto step = core.start_request(); step != SessionCore::Step::close;) {
//     switch (step) {
//       case SessionCore::Step::read:
//         if (core.read_starts_phase()) deadline = now + core.read_timeout();
//         n = read_some(core.read_buffer());
//         step = n > 0 ? core.received(n) : core.read_failed(timed_out, ec);
//         break;
//       case SessionCore::Step::header:          // start measuring core.request()
//         step = core.check_header();
//         break;
//       case SessionCore::Step::send_continue:   // write SessionCore::kContinue
//         step = core.continue_sent(ec);
//         break;
//       case SessionCore::Step::route:
//         step = core.route(draining);
//         break;
//       case SessionCore::Step::handle:          // run core.match().handler
//         step = core.respond(run_handler(core.handler_context()), draining);
//         break;
//       case SessionCore::Step::send:            // write core.send_buffers(request_id)
//         step = core.sent();
//         break;
//     }
//   }
#pragma once

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/asio.hpp"
#include "http/limits.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace latencylab::http {

class SessionCore {
 public:
  enum class Step {
    read,           // bytes are needed: read into read_buffer(), then received() or read_failed()
    header,         // a request header arrived (request()): then check_header()
    send_continue,  // write kContinue, then continue_sent()
    route,          // the request is complete: route() it
    handle,         // route() found a handler: run it on handler_context(), then respond()
    send,           // write response(), then sent()
    close,          // close the connection
  };
  // What a read waits for, which decides its deadline (read_timeout()).
  enum class ReadPhase { idle, header, body };

  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

  SessionCore(const Limits& limits, const Router& router);

  // Begins the connection's next request (the first one too).
  Step start_request();

  // Step::read.
  [[nodiscard]] ReadPhase read_phase() const noexcept { return read_phase_; }
  // A phase's deadline starts with its first read and holds for all of it (a client dripping
  // bytes does not extend it): arm read_timeout() when read_starts_phase().
  [[nodiscard]] bool read_starts_phase() const noexcept { return phase_started_; }
  [[nodiscard]] std::chrono::milliseconds read_timeout() const noexcept;
  [[nodiscard]] asio::mutable_buffer read_buffer();
  Step received(std::size_t bytes);
  // The read failed: its deadline passed (`timed_out`), the client closed (eof) or reset.
  Step read_failed(bool timed_out, const error_code& ec);

  // Step::header: the framing and declared-body-size checks.
  [[nodiscard]] const Request& request() const noexcept { return parser_->get(); }
  Step check_header();

  // Step::send_continue.
  Step continue_sent(const error_code& ec);

  // Step::route. `draining`: the server is shutting down, so the connection closes afterwards.
  Step route(bool draining);
  [[nodiscard]] const Router::Match& match() const noexcept { return match_; }

  // Step::handle.
  [[nodiscard]] RequestContext handler_context() const noexcept;
  Step respond(Response response, bool draining);
  Step handler_failed(bool draining);  // the handler threw: 500

  // Step::send.
  [[nodiscard]] const Response& response() const noexcept { return *response_; }
  // The response's bytes: its head, serialized here with `request_id` as X-Request-Id (none when
  // empty), and its body. Valid until sent().
  [[nodiscard]] std::array<asio::const_buffer, 2> send_buffers(std::string_view request_id);
  // After the response was written: the next request, or close.
  Step sent();

  // Bytes received and not yet parsed (the start of a pipelined request).
  [[nodiscard]] std::size_t buffered_bytes() const noexcept { return buffer_.size(); }

 private:
  using Parser = beast_http::request_parser<beast_http::string_body>;

  void enter(ReadPhase phase) noexcept;
  Step parse();
  Step reject(Status status, std::string_view code, std::string_view message);
  Step reject_before_header(Status status, std::string_view code, std::string_view message);
  Step finish(bool draining);

  const Limits& limits_;
  const Router& router_;
  beast::flat_buffer buffer_;     // received, not yet parsed
  std::optional<Parser> parser_;  // the current request; a Beast parser parses one message
  ReadPhase read_phase_ = ReadPhase::idle;
  bool phase_started_ = true;  // no read of read_phase_ has completed yet
  Router::Match match_;
  std::string_view path_;
  std::string_view query_;
  std::optional<Response> response_;  // from route()/respond()/reject() until the next request
  std::string head_;  // response_'s serialized head; its capacity is reused by every request
  bool keep_alive_ = false;
};

}  // namespace latencylab::http
