// The HTTP/1.1 client a graph service calls a downstream service's routes with: a pool of at most
// `max_connections` keep-alive connections (http::ClientConnection) to one server.
//
// Idle connections are reused LIFO: the most recently used one first, so a light load keeps few
// connections warm and the rest age out on the server's idle timeout (the next caller to take such
// a connection reopens it transparently). A connection whose exchange failed, timed out, was
// cancelled or ended with `Connection: close` is closed, never reused.
//
// At most max_connections exchanges run at once, each on its own connection; callers beyond that
// queue in arrival order for a slot (core::FifoSemaphore, no queue limit). `try_timeout` bounds
// each exchange, from the call to the end of the response: waiting for a slot, connect, write and
// read. It is a property of the pool, not of the call, so that every queued caller's deadline
// falls in queue order and the semaphore's one timer serves them all (a timer raced per queued
// call cost 5.0 KB per queued caller instead of 1.5 KB: bench/http_client_pool_benchmark.cpp).
// A caller that is cancelled through its cancellation slot (e.g. the loser of `co_await (a || b)`
// from boost::asio::experimental::awaitable_operators, as a route deadline does) returns
// ClientError::cancelled promptly and its connection is closed.
//
// Metrics (PeerMetrics, see client_metrics.hpp): every exchange records
// http.client.request.duration, the connections' states http.client.open_connections.
//
// Threading: one io thread; no locks. The pool must outlive its exchanges: destroy it after the
// io_context has destroyed its suspended coroutine frames (core::OwnedIoContext::shutdown()).
//
//   ClientMetrics client_metrics(meter);  // once per process, shared by every pool
//   ClientPool payments(executor, {.server = endpoint, .max_connections = 8,
//                                  .peer_name = "payments", .try_timeout = std::chrono::seconds{2}},
//                       client_metrics);
//   ClientResult result = co_await payments.exchange(Verb::post, "/api/payments", body, request_id);
//   std::string_view outcome = result ? "answered" : client_error_name(result.error());
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/asio.hpp"
#include "core/fifo_semaphore.hpp"
#include "http/client_connection.hpp"
#include "http/client_metrics.hpp"
#include "http/client_request.hpp"

namespace latencylab::http {

struct ClientPoolSettings {
  asio::ip::tcp::endpoint server;
  std::uint32_t max_connections = 1;  // at least 1
  // The host the peer's URL names ("payments" in compose, "127.0.0.1" natively): reported as
  // server.address and sent in Host. Empty: the endpoint's address.
  std::string peer_name;
  // Bounds one exchange (see the banner); std::chrono::nanoseconds::max(): no limit.
  std::chrono::nanoseconds try_timeout = std::chrono::nanoseconds::max();
  std::uint64_t max_response_body_bytes = 1024 * 1024;  // a larger response: invalid_response
};

class ClientPool {
 public:
  // Binds the pool's series on `metrics` (allocates; startup). Throws std::invalid_argument when
  // max_connections is 0.
  ClientPool(const asio::any_io_executor& executor, ClientPoolSettings settings,
             ClientMetrics& metrics);
  ~ClientPool();
  ClientPool(const ClientPool&) = delete;
  ClientPool& operator=(const ClientPool&) = delete;

  // One exchange on a pooled keep-alive connection; see the banner for timeout and cancellation.
  // The views must stay valid until it returns.
  awaitable<ClientResult> exchange(Verb method, std::string_view target, std::string_view body,
                                   std::string_view request_id);

  // Open connections waiting for an exchange.
  [[nodiscard]] std::size_t idle_connections() const noexcept { return idle_.size(); }
  // Callers queued for a connection slot.
  [[nodiscard]] std::uint32_t waiting() const noexcept { return slots_.waiting(); }

 private:
  using Clock = std::chrono::steady_clock;

  asio::any_io_executor executor_;
  ClientPoolSettings settings_;
  std::string host_;  // the Host field: "peer_name:port"
  PeerMetrics metrics_;
  core::FifoSemaphore slots_;  // one permit per connection, open or not yet
  std::vector<std::unique_ptr<ClientConnection>> idle_;  // most recently used last
};

}  // namespace latencylab::http
