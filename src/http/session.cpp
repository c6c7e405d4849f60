#include "http/session.hpp"

#include <boost/asio/write.hpp>
#include <chrono>
#include <exception>
#include <optional>

#include "core/log.hpp"
#include "http/server_deadlines.hpp"
#include "http/session_core.hpp"
#include "telemetry/request_guard.hpp"

namespace latencylab::http {
namespace {

using Clock = std::chrono::steady_clock;
using Socket = asio::ip::tcp::socket;

using Step = SessionCore::Step;
using Timeout = ServerDeadlines::Timeout;

// The deadline a read runs under: the phase's, from its first read (SessionCore::read_phase()).
Timeout read_timeout(SessionCore::ReadPhase phase) noexcept {
  switch (phase) {
    case SessionCore::ReadPhase::idle:
      return Timeout::idle;
    case SessionCore::ReadPhase::header:
      return Timeout::header;
    case SessionCore::ReadPhase::body:
      break;
  }
  return Timeout::body;
}

// One request's measurement (request guard) and reporting (access log, request id).
class Exchange {
 public:
  Exchange(ServerContext& context, const Request& header)
      : context_(context),
        // For the access log only (off by default): a clock read is ~25 ns of a request's ~7 us.
        start_(context.access_log.enabled() ? Clock::now() : Clock::time_point{}),
        method_(header.method_string()),
        request_id_(context.request_ids.resolve(header[kRequestIdField])),  // a view into header
        guard_(context.metrics, to_telemetry_method(header.method()),
               telemetry::http_protocol_version_from_number(header.version())) {}

  void set_route(std::size_t index, std::string_view route_template) noexcept {
    route_ = route_template;
    guard_.set_route(index);
  }

  void set_request_body_size(std::size_t bytes) noexcept { guard_.set_request_body_size(bytes); }

  void set_failure_cause(telemetry::FailureCause cause) noexcept {
    guard_.set_failure_cause(cause);
  }

  [[nodiscard]] std::string_view request_id() const noexcept { return request_id_.view(); }

  // After the client got the response (a response that could not be written is not recorded).
  void record(const Response& response) {
    const unsigned status = response.result_int();
    guard_.set_response(status, response.body().size());
    AccessLog& access_log = context_.access_log;
    if (access_log.enabled() && access_log.sample()) {
      access_log.write({method_, route_, status, Clock::now() - start_, request_id_.view()});
    }
  }

 private:
  ServerContext& context_;
  Clock::time_point start_;
  std::string_view method_;
  std::string_view route_ = "-";
  RequestId request_id_;
  telemetry::RequestGuard guard_;
};

}  // namespace

// Reads and writes are awaited with use_nothrow_in_frame: use_awaitable would start a coroutine
// frame per operation (~200 instructions of the ~11k a /health costs).
awaitable<void> run_session(Socket socket, ServerContext& context) {
  ConnectionRegistry::Registration registration{context.registry, socket};
  ServerDeadlines::Watch deadline{context.deadlines, socket};
  SessionCore core{context.limits, context.router};
  std::optional<Exchange> exchange;  // from a request's header until its response is sent
  Step step = core.start_request();
  while (step != Step::close) {
    switch (step) {
      case Step::read: {
        const bool idle = core.read_phase() == SessionCore::ReadPhase::idle;
        if (idle) registration.set_idle(true);
        if (core.read_starts_phase()) {
          deadline.expire_after(read_timeout(core.read_phase()));
        }
        auto [ec, n] = co_await socket.async_read_some(core.read_buffer(), use_nothrow_in_frame);
        if (idle) registration.set_idle(false);
        step = ec ? core.read_failed(deadline.expired(), ec) : core.received(n);
        break;
      }
      case Step::header:
        exchange.emplace(context, core.request());
        step = core.check_header();
        break;
      case Step::send_continue: {
        deadline.expire_after(Timeout::write);
        auto [ec, n] = co_await asio::async_write(socket, asio::buffer(SessionCore::kContinue),
                                                  use_nothrow_in_frame);
        step = core.continue_sent(ec);
        break;
      }
      case Step::route: {
        exchange->set_request_body_size(core.request().body().size());
        step = core.route(context.registry.draining());
        const Router::Match& match = core.match();
        if (match.kind != Router::Match::Kind::not_found) {
          exchange->set_route(match.route_index, match.route_template);
        }
        break;
      }
      case Step::handle: {
        // The handler runs in this frame (no coroutine of its own: one frame allocation and
        // ~700 bytes per request in flight less) and answers into the core's response.
        RequestContext request_context = core.handler_context();
        try {
          co_await (*core.match().handler)(request_context);
          exchange->set_failure_cause(request_context.failure_cause);
          step = core.respond(context.registry.draining());
        } catch (const std::exception& failure) {
          core::log::error("handler_failed",
                           {{"path", request_context.path}, {"what", failure.what()}});
          step = core.handler_failed(context.registry.draining());
        }
        break;
      }
      case Step::send: {
        // A rejection before the request header has no request id.
        const std::string_view request_id = exchange ? exchange->request_id() : std::string_view{};
        deadline.expire_after(Timeout::write);
        auto [ec, written] =
            co_await asio::async_write(socket, core.send_buffers(request_id), use_nothrow_in_frame);
        if (ec) {
          step = Step::close;
          break;
        }
        if (exchange) exchange->record(core.response());
        exchange.reset();  // the guard records here
        step = context.registry.draining() ? Step::close : core.sent();
        break;
      }
      case Step::close:
        break;
    }
  }
  error_code ignored;
  socket.shutdown(Socket::shutdown_send, ignored);
}

}  // namespace latencylab::http
