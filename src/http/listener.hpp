// Accepts connections on one endpoint and spawns a session coroutine per connection.
//
// Over the connection cap a connection gets a fast 503 with Retry-After and is closed, without a
// session. Accept errors such as EMFILE neither spin nor stop the loop: it backs off briefly and
// tries again, logging once per episode.
//
//   Listener listener{io.get_executor(), endpoint, server_context};   // binds, throws on failure
//   co_spawn(io, listener.run(), detached);
//   ...
//   listener.stop();   // drain: stop accepting
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/asio.hpp"
#include "http/session.hpp"

namespace latencylab::http {

class Listener {
 public:
  // Binds and listens (SO_REUSEADDR). Throws boost::system::system_error on failure (startup).
  Listener(asio::any_io_executor executor, const asio::ip::tcp::endpoint& endpoint,
           ServerContext& context);

  [[nodiscard]] asio::ip::tcp::endpoint local_endpoint() const;

  awaitable<void> run();
  void stop() noexcept;

 private:
  awaitable<void> reject_over_capacity(asio::ip::tcp::socket socket);

  asio::ip::tcp::acceptor acceptor_;
  asio::steady_timer backoff_;
  ServerContext& context_;
  std::string over_capacity_response_;  // serialized once: rejecting must stay cheap
};

}  // namespace latencylab::http
