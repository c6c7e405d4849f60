// One coroutine per connection that moves bytes for http::SessionCore (session_core.hpp, where
// every protocol decision is made): reads what it asks for, awaits the handler it routed to,
// writes the responses it builds, until it says close.
//
// Deadlines (idle, header, body, write) are watched by the server's ServerDeadlines (no timer per
// connection). Per request, a telemetry::RequestGuard measures it from the parsed header until the
// response is written or the connection dies; the request id is echoed and the access log sampled.
//
//   co_spawn(executor, run_session(std::move(socket), server_context), detached);
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "core/asio.hpp"
#include "http/access_log.hpp"
#include "http/connection_registry.hpp"
#include "http/limits.hpp"
#include "http/request_id.hpp"
#include "http/router.hpp"
#include "http/server_deadlines.hpp"
#include "telemetry/http_server_metrics.hpp"

namespace latencylab::http {

// Shared by every session; owned by the app, used on the io thread only.
struct ServerContext {
  const Router& router;
  const Limits& limits;
  ServerDeadlines& deadlines;  // for `limits`
  ConnectionRegistry& registry;
  telemetry::HttpServerMetrics& metrics;  // disabled when OTEL_SDK_DISABLED=true
  AccessLog& access_log;
  RequestIdGenerator& request_ids;
};

awaitable<void> run_session(asio::ip::tcp::socket socket, ServerContext& context);

}  // namespace latencylab::http
