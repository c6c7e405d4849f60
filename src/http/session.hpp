// One coroutine per connection: read a request, check limits and framing, route, await the
// handler, write the response; repeat while keep-alive holds. Pipelined requests are answered in
// order because each is read only after the previous response is written.
//
// Deadlines (idle, header, body, write) come from one ConnectionDeadline watchdog per connection.
// Per request, a telemetry::RequestGuard measures it from the parsed header until the response
// is written or the connection dies.
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

namespace latencylab::telemetry {
class HttpServerMetrics;
}

namespace latencylab::http {

// Shared by every session; owned by the app, used on the io thread only.
struct ServerContext {
  const Router& router;
  const Limits& limits;
  ConnectionRegistry& registry;
  telemetry::HttpServerMetrics* metrics;  // null when metrics are disabled
  AccessLog& access_log;
  RequestIdGenerator& request_ids;
};

awaitable<void> run_session(asio::ip::tcp::socket socket, ServerContext& context);

}  // namespace latencylab::http
