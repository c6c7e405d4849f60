#include "http/listener.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/write.hpp>
#include <chrono>

#include "core/log.hpp"
#include "http/response.hpp"

namespace latencylab::http {
namespace {

constexpr std::chrono::milliseconds kAcceptBackoff{50};

std::string serialize_over_capacity(std::uint32_t retry_after_seconds) {
  Response response = error_response_closing(Status::service_unavailable, "over_capacity",
                                             "the server is at its connection limit");
  response.set(beast_http::field::retry_after, std::to_string(retry_after_seconds));
  std::string text;
  serialize_head(response, /*request_id=*/{}, text);
  return text + response.body();
}

}  // namespace

Listener::Listener(asio::any_io_executor executor, const asio::ip::tcp::endpoint& endpoint,
                   ServerContext& context)
    : acceptor_(executor),
      backoff_(executor),
      context_(context),
      over_capacity_response_(serialize_over_capacity(context.limits.retry_after_seconds)) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

asio::ip::tcp::endpoint Listener::local_endpoint() const {
  return acceptor_.local_endpoint();
}

void Listener::stop() noexcept {
  error_code ignored;
  acceptor_.close(ignored);
  backoff_.cancel();
}

awaitable<void> Listener::run() {
  bool in_error_episode = false;
  while (acceptor_.is_open()) {
    auto [ec, socket] = co_await acceptor_.async_accept(use_nothrow);
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
    if (ec) {
      // EMFILE/ENFILE/ENOBUFS: the pending connection stays in the backlog; waiting instead of
      // retrying at once keeps the loop from spinning until descriptors are freed.
      if (!in_error_episode) core::log::warn("accept_failed", {{"error", ec.message()}});
      in_error_episode = true;
      backoff_.expires_after(kAcceptBackoff);
      co_await backoff_.async_wait(use_nothrow);
      continue;
    }
    if (in_error_episode) core::log::info("accept_recovered");
    in_error_episode = false;
    error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    if (context_.registry.size() >= context_.limits.max_connections) {
      asio::co_spawn(acceptor_.get_executor(), reject_over_capacity(std::move(socket)),
                     asio::detached);
      continue;
    }
    asio::co_spawn(acceptor_.get_executor(), run_session(std::move(socket), context_),
                   asio::detached);
  }
}

awaitable<void> Listener::reject_over_capacity(asio::ip::tcp::socket socket) {
  // The client is not read from: a request it already sent is discarded with the connection.
  co_await asio::async_write(socket, asio::buffer(over_capacity_response_), use_nothrow);
  error_code ignored;
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

}  // namespace latencylab::http
