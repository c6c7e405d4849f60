// The set of open connections, for the connection cap and graceful drain.
//
// Each session holds a Registration for its lifetime and marks itself idle while it waits for the
// next request. Drain closes idle connections at once and lets busy ones finish their current
// request; wait_until_empty() lets the app await the end of the drain.
//
// Threading: owned by the io thread, like everything in http/.
//
//   ConnectionRegistry::Registration registration{registry, socket};
//   registration.set_idle(true);   // between requests
//   ...
//   registry.begin_drain();        // on SIGTERM
//   co_await registry.wait_until_empty(deadline);
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/intrusive/list.hpp>
#include <chrono>
#include <cstddef>

#include "core/asio.hpp"

namespace latencylab::http {

class ConnectionRegistry {
 public:
  class Registration : public boost::intrusive::list_base_hook<> {
   public:
    Registration(ConnectionRegistry& registry, asio::ip::tcp::socket& socket) noexcept;
    ~Registration();
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

    // Idle connections are closed immediately when a drain starts.
    void set_idle(bool idle) noexcept;

   private:
    friend class ConnectionRegistry;
    ConnectionRegistry& registry_;
    asio::ip::tcp::socket& socket_;
    bool idle_ = true;
  };

  explicit ConnectionRegistry(asio::any_io_executor executor);

  [[nodiscard]] std::size_t size() const noexcept { return connections_.size(); }
  [[nodiscard]] bool draining() const noexcept { return draining_; }

  // Marks the server draining and closes every idle connection.
  void begin_drain() noexcept;

  // Cancels the I/O of every connection, busy or not (the drain deadline passed).
  void close_all() noexcept;

  // Completes when no connection is left or at `deadline`, whichever is first.
  awaitable<void> wait_until_empty(std::chrono::steady_clock::time_point deadline);

 private:
  void unregister(Registration& registration) noexcept;

  boost::intrusive::list<Registration, boost::intrusive::constant_time_size<true>> connections_;
  asio::steady_timer emptied_;  // cancelled to wake wait_until_empty()
  bool draining_ = false;
};

}  // namespace latencylab::http
