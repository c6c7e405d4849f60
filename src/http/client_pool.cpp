// GCC 12 at -O2 reports a false -Wnull-dereference inside Asio's scheduler when awaitable
// completions go through any_io_executor (inlined library code, not ours); silenced for this file
// only, before the includes.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include "http/client_pool.hpp"

#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/this_coro.hpp>
#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>

namespace latencylab::http {
namespace {

std::string address_of(const ClientPoolSettings& settings) {
  if (!settings.peer_name.empty()) return settings.peer_name;
  return settings.server.address().to_string();
}

std::string host_field(const std::string& address, const asio::ip::tcp::endpoint& server) {
  const bool ipv6_literal = address.find(':') != std::string::npos;
  std::string host = ipv6_literal ? "[" + address + "]" : address;
  return host + ":" + std::to_string(server.port());
}

}  // namespace

ClientPool::ClientPool(const asio::any_io_executor& executor, ClientPoolSettings settings,
                       ClientMetrics& metrics)
    : executor_(executor),
      settings_(std::move(settings)),
      host_(host_field(address_of(settings_), settings_.server)),
      metrics_(metrics, address_of(settings_), settings_.server.port()),
      // No queue limit: the try timeout bounds the wait.
      slots_(executor, settings_.max_connections, std::numeric_limits<std::uint32_t>::max(),
             settings_.try_timeout) {
  if (settings_.max_connections == 0) {
    throw std::invalid_argument("a client pool needs at least one connection");
  }
  idle_.reserve(settings_.max_connections);
}

ClientPool::~ClientPool() = default;

awaitable<ClientResult> ClientPool::exchange(Verb method, std::string_view target,
                                             std::string_view body, std::string_view request_id) {
  const Clock::time_point start = Clock::now();
  // The semaphore starts the same timeout for a queued caller now (nanoseconds::max(): none).
  const Clock::time_point deadline =
      settings_.try_timeout < Clock::time_point::max() - start
          ? start + std::chrono::duration_cast<Clock::duration>(settings_.try_timeout)
          : Clock::time_point::max();
  const auto failed = [&](ClientError error) {
    metrics_.record(to_telemetry_method(method), ClientOutcome::failure(error),
                    Clock::now() - start);
    return error;
  };

  // Awaiting an operation after a cancellation throws instead of suspending.
  const asio::cancellation_state cancellation = co_await asio::this_coro::cancellation_state;
  if (cancellation.cancelled() != asio::cancellation_type::none) {
    co_return failed(ClientError::cancelled);
  }
  // The two halves rather than a coroutine of the semaphore's: a queued call waits in this frame.
  core::FifoSemaphore::AcquireResult slot = core::AcquireError::cancelled;
  if (std::optional<core::FifoSemaphore::Permit> free = slots_.try_acquire()) {
    slot = std::move(*free);
  } else {
    slot = co_await slots_.async_wait(asio::deferred);
  }
  if (!slot) {
    // No queue_full: the queue has no limit.
    co_return failed(slot.error() == core::AcquireError::cancelled ? ClientError::cancelled
                                                                   : ClientError::timeout);
  }

  std::unique_ptr<ClientConnection> connection;
  if (idle_.empty()) {
    connection = std::make_unique<ClientConnection>(executor_, settings_.server, host_,
                                                    settings_.max_response_body_bytes, metrics_);
  } else {
    connection = std::move(idle_.back());
    idle_.pop_back();
    connection->take_from_idle();
  }
  ClientResult result =
      co_await connection->exchange(ClientRequest{method, target, body, request_id}, deadline);
  if (connection->is_open()) {
    connection->park();
    idle_.push_back(std::move(connection));
  }

  metrics_.record(
      to_telemetry_method(method),
      result ? ClientOutcome::response(result->status) : ClientOutcome::failure(result.error()),
      Clock::now() - start);
  co_return result;
}

}  // namespace latencylab::http
