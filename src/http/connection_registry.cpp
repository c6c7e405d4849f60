#include "http/connection_registry.hpp"

namespace latencylab::http {

ConnectionRegistry::Registration::Registration(ConnectionRegistry& registry,
                                               asio::ip::tcp::socket& socket) noexcept
    : registry_(registry), socket_(socket) {
  registry_.connections_.push_back(*this);
}

ConnectionRegistry::Registration::~Registration() {
  registry_.unregister(*this);
}

void ConnectionRegistry::Registration::set_idle(bool idle) noexcept {
  idle_ = idle;
}

ConnectionRegistry::ConnectionRegistry(asio::any_io_executor executor) : emptied_(executor) {}

void ConnectionRegistry::unregister(Registration& registration) noexcept {
  connections_.erase(connections_.iterator_to(registration));
  if (draining_ && connections_.empty()) emptied_.cancel();
}

void ConnectionRegistry::begin_drain() noexcept {
  draining_ = true;
  for (auto& connection : connections_) {
    error_code ignored;
    if (connection.idle_) connection.socket_.cancel(ignored);
  }
  if (connections_.empty()) emptied_.cancel();
}

void ConnectionRegistry::close_all() noexcept {
  for (auto& connection : connections_) {
    error_code ignored;
    connection.socket_.close(ignored);
  }
}

awaitable<void> ConnectionRegistry::wait_until_empty(
    std::chrono::steady_clock::time_point deadline) {
  while (!connections_.empty() && std::chrono::steady_clock::now() < deadline) {
    emptied_.expires_at(deadline);
    co_await emptied_.async_wait(use_nothrow);
  }
}

}  // namespace latencylab::http
