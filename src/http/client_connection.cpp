// GCC 12 at -O2 reports a false -Wnull-dereference inside Asio's scheduler when awaitable
// completions go through any_io_executor (inlined library code, not ours); silenced for this file
// only, before the includes.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include "http/client_connection.hpp"

#include <sys/socket.h>

#include <array>
#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <cerrno>
#include <optional>

namespace latencylab::http {
namespace {

// A response header larger than this is not one of ours: invalid_response.
constexpr std::uint32_t kHeaderLimit = 64 * 1024;

// Beast's basic_parser keeping only what ClientResponse needs (status and body): unlike
// beast_http::response_parser it stores no header fields, so a response allocates only its body.
// Framing (Content-Length, chunked, keep-alive, the body limit) is Beast's own logic.
class ResponseParser final : public beast_http::basic_parser<false> {
 public:
  ResponseParser(std::uint64_t body_limit, bool head_request) {
    this->body_limit(body_limit);
    header_limit(kHeaderLimit);
    skip(head_request);  // a response to HEAD has no body, whatever its Content-Length says
  }

  [[nodiscard]] unsigned status() const noexcept { return status_; }
  [[nodiscard]] std::string take_body() noexcept { return std::move(body_); }

 private:
  using string_view = beast::string_view;
  using field = beast_http::field;

  void on_request_impl(Verb, string_view, string_view, int, error_code&) override {}
  void on_response_impl(int code, string_view, int, error_code&) override {
    status_ = static_cast<unsigned>(code);
  }
  void on_field_impl(field, string_view, string_view, error_code&) override {}
  void on_header_impl(error_code&) override {}
  // Called only after the Content-Length passed the body limit.
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length) body_.reserve(static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(string_view body, error_code&) override {
    body_.append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override {
    body_.append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  unsigned status_ = 0;
  std::string body_;
};

// What a write or read on a connection the server closed while it was idle ends with.
bool is_stale_connection(const error_code& ec) noexcept {
  return ec == asio::error::eof || ec == beast_http::error::end_of_stream ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

}  // namespace

ClientConnection::ClientConnection(const asio::any_io_executor& executor,
                                   const asio::ip::tcp::endpoint& server, std::string_view host,
                                   std::uint64_t body_limit, PeerMetrics& metrics)
    : server_(server),
      host_(host),
      body_limit_(body_limit),
      metrics_(metrics),
      socket_(executor),
      deadline_(ConnectionDeadline::start(socket_)) {}

ClientConnection::~ClientConnection() {
  deadline_->stop();
  close();
}

void ClientConnection::park() noexcept {
  idle_ = true;
  metrics_.connection_idled();
}

void ClientConnection::take_from_idle() noexcept {
  // A non-blocking peek: nothing to read is the only state in which an idle connection is usable;
  // 0 is the server's FIN, anything else an error or bytes nobody asked for.
  char byte = 0;
  const auto peeked = ::recv(socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    idle_ = false;
    metrics_.connection_reused();
    return;
  }
  close();
}

void ClientConnection::close() noexcept {
  if (connected_) metrics_.connection_closed(idle_);
  connected_ = false;
  idle_ = false;
  exchanges_ = 0;
  buffer_.clear();
  error_code ignored;
  socket_.close(ignored);
}

ClientError ClientConnection::classify(const error_code& ec) const noexcept {
  if (deadline_->expired()) return ClientError::timeout;
  if (ec.category() == beast_http::make_error_code(beast_http::error::bad_version).category() &&
      ec != beast_http::error::end_of_stream && ec != beast_http::error::partial_message) {
    return ClientError::invalid_response;  // not HTTP/1.x, or over the header or body limit
  }
  return ClientError::connection_error;  // refused, reset, closed, truncated
}

awaitable<ClientResult> ClientConnection::exchange(const ClientRequest& request,
                                                   Clock::time_point deadline) {
  const asio::cancellation_state cancellation = co_await asio::this_coro::cancellation_state;
  // Checked before each operation is started: a cancellation or a deadline that arrived while the
  // previous one was completing would otherwise go unnoticed (and awaiting anything after a
  // cancellation throws instead of suspending).
  const auto interrupted = [&]() -> std::optional<ClientError> {
    if (cancellation.cancelled() != asio::cancellation_type::none) return ClientError::cancelled;
    if (deadline_->expired()) return ClientError::timeout;
    return std::nullopt;
  };
  const auto failed = [&](ClientError error) -> ClientResult {
    close();
    return interrupted().value_or(error);
  };

  // No time left after waiting for a slot: the connection is still at a message boundary.
  if (deadline <= Clock::now()) co_return interrupted().value_or(ClientError::timeout);
  deadline_->expire_at(deadline);
  serialize_request_head(request, host_, head_);

  // At most two attempts: the second only after a stale keep-alive connection (see the banner).
  for (int attempt = 0;; ++attempt) {
    if (!connected_) {
      if (const auto stop = interrupted()) co_return failed(*stop);
      error_code ec;
      socket_.open(server_.protocol(), ec);
      if (ec) co_return failed(ClientError::connection_error);
      auto [connect_ec] = co_await socket_.async_connect(server_, use_nothrow);
      if (connect_ec) co_return failed(classify(connect_ec));
      socket_.set_option(asio::ip::tcp::no_delay(true), ec);
      connected_ = true;
      metrics_.connection_opened();
    }
    const bool reused = exchanges_ > 0;
    ++exchanges_;

    if (const auto stop = interrupted()) co_return failed(*stop);
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(head_), asio::buffer(request.body.data(), request.body.size())};
    auto [ec, written] = co_await asio::async_write(socket_, buffers, use_nothrow);
    ResponseParser parser(body_limit_, request.method == Verb::head);
    if (!ec) {
      if (const auto stop = interrupted()) co_return failed(*stop);
      auto [read_ec, read] = co_await beast_http::async_read(socket_, buffer_, parser, use_nothrow);
      ec = read_ec;
    }
    if (ec) {
      const ClientError error = interrupted().value_or(classify(ec));
      const bool retry = attempt == 0 && reused && error == ClientError::connection_error &&
                         !parser.got_some() && is_stale_connection(ec) &&
                         is_idempotent(request.method);
      close();
      if (retry) continue;
      co_return error;
    }

    // Interim responses (1xx) are not expected: the client never asks for one.
    if (parser.status() < 200) co_return failed(ClientError::invalid_response);
    // Bytes after the response are an answer to nothing: the connection's state is unknown.
    if (!parser.keep_alive() || buffer_.size() != 0) close();
    co_return ClientResponse{parser.status(), parser.take_body()};
  }
}

}  // namespace latencylab::http
