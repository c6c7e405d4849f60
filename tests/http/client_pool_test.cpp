// Integration: http::ClientPool against small scripted HTTP/1.1 servers on 127.0.0.1:<ephemeral>,
// client and servers as coroutines on one io_context, as in a graph service.
#include "http/client_pool.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "../telemetry/snapshot_helpers.hpp"
#include "core/io_context.hpp"
#include "telemetry/meter.hpp"

namespace latencylab::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using tcp = asio::ip::tcp;
using telemetry::testing::histogram_of;
using telemetry::testing::point_with;
using telemetry::testing::sum_of;

// What the scripted server does with each request it reads.
enum class Reply {
  echo,                   // 200, body = the request body or else its target; keep-alive
  echo_then_close,        // the same, then closes the connection without saying so (idle close)
  echo_connection_close,  // the same with `Connection: close`, but leaves closing to the client
  never,                  // reads on and never answers
  garbage,                // bytes that are not HTTP
  reset,                  // closes with RST (SO_LINGER 0)
  huge_body,              // announces a 10 MiB body
  raw,                    // writes the bytes given to the server, whatever they are
  raw_then_close,         // the same, then closes the connection
  mixed,                  // cycles through echo, garbage, reset, never, echo_then_close
  server_error,           // 503
  drop_second,            // echoes a connection's first request, closes on its second (the race
                          // of a request with the server's idle close)
};

class ScriptedServer {
 public:
  ScriptedServer(asio::io_context& io, Reply reply, Clock::duration hold = {}, std::string raw = {})
      : reply_(reply),
        raw_(std::move(raw)),
        hold_(hold),
        acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(io, accept_loop(), asio::detached);
  }

  [[nodiscard]] tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }

  // Counters and the requests seen; io thread only.
  std::size_t accepted = 0;
  std::size_t open = 0;
  std::size_t max_open = 0;
  std::vector<beast_http::request<beast_http::string_body>> requests;

 private:
  awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(use_nothrow);
      if (ec) co_return;
      ++accepted;
      max_open = std::max(max_open, ++open);
      asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), asio::detached);
    }
  }

  awaitable<void> serve(tcp::socket socket) {
    beast::flat_buffer buffer;
    std::size_t on_this_connection = 0;
    for (bool keep_open = true; keep_open;) {
      beast_http::request<beast_http::string_body> request;
      auto [read_ec, n] = co_await beast_http::async_read(socket, buffer, request, use_nothrow);
      if (read_ec) break;
      requests.push_back(request);
      ++on_this_connection;
      if (hold_ > Clock::duration::zero()) {
        asio::steady_timer timer(socket.get_executor(), hold_);
        co_await timer.async_wait(use_nothrow);
      }
      std::string response;
      const std::string body =
          request.body().empty() ? std::string(request.target()) : request.body();
      const auto ok = [&](std::string_view extra) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
               std::string(extra) + "\r\n" + body;
      };
      static constexpr std::array<Reply, 5> kCycle{Reply::echo, Reply::garbage, Reply::reset,
                                                   Reply::never, Reply::echo_then_close};
      const Reply reply = reply_ == Reply::mixed ? kCycle[requests.size() % kCycle.size()] : reply_;
      switch (reply) {
        case Reply::echo:
          response = ok("");
          if (request.method() == Verb::head) response.resize(response.size() - body.size());
          break;
        case Reply::echo_then_close:
          response = ok("");
          keep_open = false;
          break;
        case Reply::echo_connection_close:
          response = ok("Connection: close\r\n");
          break;
        case Reply::never:
          continue;
        case Reply::garbage:
          response = "SSH-2.0-OpenSSH_9.6\r\n\r\n";
          break;
        case Reply::reset: {
          error_code ignored;
          socket.set_option(asio::socket_base::linger(true, 0), ignored);
          keep_open = false;
          break;
        }
        case Reply::raw:
          response = raw_;
          break;
        case Reply::raw_then_close:
          response = raw_;
          keep_open = false;
          break;
        case Reply::mixed:
          break;
        case Reply::huge_body:
          response = "HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n" + std::string(4096, 'x');
          break;
        case Reply::server_error:
          response = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";
          break;
        case Reply::drop_second:
          keep_open = on_this_connection == 1;
          if (keep_open) response = ok("");
          break;
      }
      if (!response.empty()) {
        auto [write_ec, written] =
            co_await asio::async_write(socket, asio::buffer(response), use_nothrow);
        if (write_ec) break;
      }
    }
    error_code ignored;
    socket.close(ignored);
    --open;
  }

  Reply reply_;
  std::string raw_;
  Clock::duration hold_;
  tcp::acceptor acceptor_;
};

class ClientPoolTest : public ::testing::Test {
 protected:
  ~ClientPoolTest() override { io_.shutdown(); }

  ClientPool make_pool(const tcp::endpoint& server, std::uint32_t max_connections = 4,
                       std::chrono::nanoseconds try_timeout = 10s) {
    return ClientPool(io_.get_executor(),
                      {.server = server,
                       .max_connections = max_connections,
                       .peer_name = {},
                       .try_timeout = try_timeout},
                      client_metrics_);
  }

  // Runs `test` on the io thread until it returns (the servers keep running meanwhile).
  template <typename T>
  T run(awaitable<T> test) {
    std::optional<T> result;
    std::exception_ptr failure;
    asio::co_spawn(io_, std::move(test), [&](std::exception_ptr e, T value) {
      failure = e;
      if (!e) result = std::move(value);
      io_.stop();
    });
    io_.restart();
    io_.run_for(60s);  // a generous bound: every test finishes far sooner
    if (failure) std::rethrow_exception(failure);
    if (!result) throw std::runtime_error("the test coroutine did not finish within 60 s");
    return std::move(*result);
  }

  // Polls `condition` every millisecond, up to `bound`.
  awaitable<bool> eventually(std::function<bool()> condition, Clock::duration bound = 5s) {
    asio::steady_timer timer(io_);
    for (const auto until = Clock::now() + bound; Clock::now() < until;) {
      if (condition()) co_return true;
      timer.expires_after(1ms);
      co_await timer.async_wait(use_nothrow);
    }
    co_return condition();
  }

  core::OwnedIoContext io_{1};
  telemetry::Meter meter_;
  ClientMetrics client_metrics_{meter_};
};

awaitable<ClientResult> get(ClientPool& pool, std::string_view target) {
  return pool.exchange(Verb::get, target, {}, {});
}

TEST_F(ClientPoolTest, SequentialCallsReuseOneKeepAliveConnection) {
  ScriptedServer server(io_, Reply::echo);
  ClientPool pool = make_pool(server.endpoint());
  const auto statuses = run([&]() -> awaitable<std::vector<unsigned>> {
    std::vector<unsigned> seen;
    for (int i = 0; i < 5; ++i) {
      ClientResult result = co_await get(pool, "/api/items/" + std::to_string(i));
      seen.push_back(result ? result->status : 0);
    }
    co_return seen;
  }());
  EXPECT_EQ(statuses, std::vector<unsigned>(5, 200));
  EXPECT_EQ(server.accepted, 1u);
  EXPECT_EQ(server.requests.size(), 5u);
  EXPECT_EQ(pool.idle_connections(), 1u);
}

TEST_F(ClientPoolTest, ConcurrentCallsBeyondThePoolSizeQueueForItsConnections) {
  constexpr std::uint32_t kConnections = 3;
  ScriptedServer server(io_, Reply::echo, 20ms);  // each answer takes 20 ms
  ClientPool pool = make_pool(server.endpoint(), kConnections);
  std::vector<unsigned> statuses;
  const bool done = run([&]() -> awaitable<bool> {
    for (std::uint32_t i = 0; i < 3 * kConnections; ++i) {
      asio::co_spawn(io_, get(pool, "/api/items"), [&](std::exception_ptr, ClientResult result) {
        statuses.push_back(result ? result->status : 0);
      });
    }
    co_return co_await eventually([&] { return statuses.size() == 3 * kConnections; });
  }());
  ASSERT_TRUE(done);
  EXPECT_EQ(statuses, std::vector<unsigned>(3 * kConnections, 200));
  EXPECT_EQ(server.max_open, kConnections) << "never more than the pool's connections at once";
  EXPECT_EQ(server.accepted, kConnections) << "each connection was reused by the callers queued";
  EXPECT_EQ(pool.idle_connections(), kConnections);
}

TEST_F(ClientPoolTest, UnderMixedFailuresEveryCallEndsAndTheConnectionCountsAddUp) {
  constexpr std::uint32_t kConnections = 4;
  constexpr std::size_t kCalls = 200;
  ScriptedServer server(io_, Reply::mixed);
  ClientPool pool = make_pool(server.endpoint(), kConnections, 200ms);
  std::array<std::size_t, kClientErrorCount + 1> outcomes{};  // by ClientError, then successes
  std::size_t ended = 0;
  const bool done = run([&]() -> awaitable<bool> {
    for (std::size_t i = 0; i < kCalls; ++i) {
      asio::co_spawn(io_, get(pool, "/mixed"), [&](std::exception_ptr, ClientResult result) {
        ++outcomes[result ? kClientErrorCount : static_cast<std::size_t>(result.error())];
        ++ended;
      });
    }
    co_return co_await eventually([&] { return ended == kCalls; }, 30s);
  }());
  ASSERT_TRUE(done);
  EXPECT_GT(outcomes[kClientErrorCount], 0u);
  EXPECT_GT(outcomes[static_cast<std::size_t>(ClientError::invalid_response)], 0u);
  EXPECT_GT(outcomes[static_cast<std::size_t>(ClientError::connection_error)], 0u);
  EXPECT_GT(outcomes[static_cast<std::size_t>(ClientError::timeout)], 0u);
  EXPECT_EQ(outcomes[static_cast<std::size_t>(ClientError::cancelled)], 0u);
  EXPECT_LE(server.max_open, kConnections);

  const auto snapshot = meter_.collect();
  const auto& open = sum_of(snapshot, "http.client.open_connections").points;
  const std::int64_t port = server.endpoint().port();
  const auto value_of = [&](std::string state) -> std::int64_t {
    const auto* point = point_with(open, {{"http.connection.state", std::move(state)},
                                          {"server.address", std::string("127.0.0.1")},
                                          {"server.port", port}});
    return point == nullptr ? -1 : std::get<std::int64_t>(point->value);
  };
  EXPECT_EQ(value_of("active"), 0) << "every exchange ended";
  EXPECT_EQ(value_of("idle"), static_cast<std::int64_t>(pool.idle_connections()));
  const auto& durations = histogram_of(snapshot, "http.client.request.duration").points;
  std::uint64_t recorded = 0;
  for (const auto& point : durations) recorded += point.count;
  EXPECT_EQ(recorded, kCalls) << "one duration per call";
}

TEST_F(ClientPoolTest, WaitingForAConnectionCountsAgainstTheTimeout) {
  // Each answer takes at least 600 ms and a try at most 1 s: the first call succeeds, the second
  // waits >= 600 ms for the connection, and then 600 ms more would be too late.
  ScriptedServer server(io_, Reply::echo, 600ms);
  ClientPool pool = make_pool(server.endpoint(), 1, 1s);
  std::optional<ClientResult> first;
  asio::co_spawn(io_, get(pool, "/holds-the-only-connection"),
                 [&](std::exception_ptr, ClientResult result) { first = std::move(result); });
  const ClientResult queued = run(get(pool, "/queued"));
  ASSERT_FALSE(queued);
  EXPECT_EQ(queued.error(), ClientError::timeout);
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(*first) << client_error_name(first->error());
  EXPECT_EQ(server.requests.size(), 2u);
}

TEST_F(ClientPoolTest, ACallerCancelledWhileQueuedLeavesTheQueue) {
  ScriptedServer server(io_, Reply::echo, 500ms);
  ClientPool pool = make_pool(server.endpoint(), 1);
  std::optional<ClientResult> first;
  std::optional<ClientResult> queued;
  asio::cancellation_signal signal;
  asio::co_spawn(io_, get(pool, "/first"),
                 [&](std::exception_ptr, ClientResult result) { first = std::move(result); });
  asio::co_spawn(
      io_, get(pool, "/queued"),
      asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr, ClientResult result) {
        queued = std::move(result);
      }));
  const bool cancelled_first = run([&]() -> awaitable<bool> {
    co_await eventually([&] { return server.requests.size() == 1; });
    signal.emit(asio::cancellation_type::terminal);
    co_await eventually([&] { return queued.has_value(); });
    co_return !first.has_value();
  }());
  EXPECT_TRUE(cancelled_first) << "left the queue before the first call ended";
  ASSERT_TRUE(queued.has_value());
  ASSERT_FALSE(*queued);
  EXPECT_EQ(queued->error(), ClientError::cancelled);
  EXPECT_TRUE(run(eventually([&] { return first.has_value(); })));
  ASSERT_TRUE(run(get(pool, "/after")));
  EXPECT_EQ(server.requests.size(), 2u) << "/first and /after";
  EXPECT_EQ(server.accepted, 1u);
}

TEST_F(ClientPoolTest, TheLargestTimeoutMeansNone) {
  ScriptedServer server(io_, Reply::echo);
  ClientPool pool = make_pool(server.endpoint(), 4, std::chrono::nanoseconds::max());
  const ClientResult result = run(get(pool, "/"));
  ASSERT_TRUE(result) << client_error_name(result.error());
  EXPECT_EQ(result->status, 200u);
}

TEST_F(ClientPoolTest, WithMetricsDisabledCallsWorkAndThePeerNameIsTheHost) {
  ScriptedServer server(io_, Reply::echo);
  ClientMetrics disabled;  // OTEL_SDK_DISABLED=true
  ClientPool pool(io_.get_executor(),
                  {.server = server.endpoint(), .max_connections = 1, .peer_name = "inventory"},
                  disabled);
  const ClientResult result = run(get(pool, "/"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200u);
  EXPECT_EQ(server.requests[0][beast_http::field::host],
            "inventory:" + std::to_string(server.endpoint().port()))
      << "the peer's name is the Host";
}

TEST_F(ClientPoolTest, RequestCarriesHostUserAgentRequestIdAndJsonBody) {
  ScriptedServer server(io_, Reply::echo);
  ClientPool pool = make_pool(server.endpoint());
  const ClientResult result =
      run(pool.exchange(Verb::post, "/api/payments", R"({"amount":5})", "req-42"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200u);
  EXPECT_EQ(result->body, R"({"amount":5})");
  ASSERT_EQ(server.requests.size(), 1u);
  const auto& request = server.requests[0];
  EXPECT_EQ(request.method(), Verb::post);
  EXPECT_EQ(request.target(), "/api/payments");
  EXPECT_EQ(request[beast_http::field::host],
            "127.0.0.1:" + std::to_string(server.endpoint().port()));
  EXPECT_EQ(request[beast_http::field::user_agent], "latencylab");
  EXPECT_EQ(request["X-Request-Id"], "req-42");
  EXPECT_EQ(request[beast_http::field::content_type], "application/json");
  EXPECT_EQ(request[beast_http::field::content_length], "12");
}

TEST_F(ClientPoolTest, AHeadResponseHasNoBodyWhateverItsContentLengthSays) {
  ScriptedServer server(io_, Reply::echo);
  ClientPool pool = make_pool(server.endpoint());
  const ClientResult head = run(pool.exchange(Verb::head, "/api/items", {}, {}));
  ASSERT_TRUE(head) << client_error_name(head.error());
  EXPECT_EQ(head->status, 200u);
  EXPECT_EQ(head->body, "");
  const ClientResult after = run(get(pool, "/api/items"));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->body, "/api/items");
  EXPECT_EQ(server.accepted, 1u) << "the connection stayed usable";
}

TEST_F(ClientPoolTest, TimeoutAgainstAServerThatNeverAnswersClosesTheConnection) {
  ScriptedServer server(io_, Reply::never);
  ClientPool pool = make_pool(server.endpoint(), 4, 100ms);
  const auto start = Clock::now();
  const ClientResult result = run(get(pool, "/slow"));
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), ClientError::timeout);
  EXPECT_GE(elapsed, 100ms);  // timers never fire early
  EXPECT_LT(elapsed, 10s);
  EXPECT_EQ(pool.idle_connections(), 0u) << "a timed-out connection is never reused";
  EXPECT_TRUE(run(eventually([&] { return server.open == 0; }))) << "the client closed it";
  // The next call needs a new connection.
  (void)run(get(pool, "/slow"));
  EXPECT_EQ(server.accepted, 2u);
}

TEST_F(ClientPoolTest, GarbageBytesAreAnInvalidResponse) {
  ScriptedServer server(io_, Reply::garbage);
  ClientPool pool = make_pool(server.endpoint());
  const ClientResult result = run(get(pool, "/"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), ClientError::invalid_response);
  EXPECT_EQ(pool.idle_connections(), 0u);
}

TEST_F(ClientPoolTest, ABodyOverTheLimitIsAnInvalidResponse) {
  ScriptedServer server(io_, Reply::huge_body);
  ClientPool pool = make_pool(server.endpoint());
  const ClientResult result = run(get(pool, "/big"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), ClientError::invalid_response);
}

TEST_F(ClientPoolTest, MalformedOrOversizedResponsesAreInvalidAndNeverReused) {
  const std::string huge_header = "X-Filler: " + std::string(70 * 1024, 'a') + "\r\n";
  const std::vector<std::string> responses{
      "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n",
      "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\n" + huge_header + "Content-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n" +
          std::string(0x200000, 'x') + "\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "HTTP/1.1 100 Continue\r\n\r\n",
  };
  for (const std::string& raw : responses) {
    SCOPED_TRACE(raw.substr(0, 60));
    ScriptedServer server(io_, Reply::raw, {}, raw);
    ClientPool pool = make_pool(server.endpoint());
    const ClientResult result = run(get(pool, "/"));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), ClientError::invalid_response);
    EXPECT_EQ(pool.idle_connections(), 0u);
  }
}

TEST_F(ClientPoolTest, AResponseCutShortIsAConnectionError) {
  ScriptedServer server(io_, Reply::raw_then_close, {},
                        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  ClientPool pool = make_pool(server.endpoint());
  const ClientResult result = run(get(pool, "/"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), ClientError::connection_error);
}

TEST_F(ClientPoolTest, BytesAfterTheResponseMakeTheConnectionUnusable) {
  ScriptedServer server(io_, Reply::raw, {},
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n");
  ClientPool pool = make_pool(server.endpoint());
  const ClientResult result = run(get(pool, "/"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->body, "ok");
  EXPECT_EQ(pool.idle_connections(), 0u) << "an answer to nothing: the state is unknown";
}

TEST_F(ClientPoolTest, AResetIsAConnectionError) {
  ScriptedServer server(io_, Reply::reset);
  ClientPool pool = make_pool(server.endpoint());
  const ClientResult result = run(get(pool, "/"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), ClientError::connection_error);
}

TEST_F(ClientPoolTest, ARefusedPortIsAConnectionError) {
  tcp::endpoint closed_port;
  {
    tcp::acceptor probe(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    closed_port = probe.local_endpoint();
  }  // nothing listens there any more
  ClientPool pool = make_pool(closed_port);
  const ClientResult result = run(get(pool, "/"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), ClientError::connection_error);
}

TEST_F(ClientPoolTest, AConnectionTheServerClosedWhileIdleIsReopenedTransparently) {
  ScriptedServer server(io_, Reply::echo_then_close);
  ClientPool pool = make_pool(server.endpoint());
  const auto results = run([&]() -> awaitable<std::vector<ClientResult>> {
    std::vector<ClientResult> seen;
    seen.push_back(co_await get(pool, "/first"));
    co_await eventually([&] { return server.open == 0; });  // the server closed it while idle
    seen.push_back(co_await pool.exchange(Verb::post, "/second", "{}", {}));
    co_return seen;
  }());
  ASSERT_TRUE(results[0]);
  ASSERT_TRUE(results[1]) << client_error_name(results[1].error());
  EXPECT_EQ(results[1]->status, 200u);
  EXPECT_EQ(server.accepted, 2u);
  EXPECT_EQ(server.requests.size(), 2u) << "the POST was sent once";
}

TEST_F(ClientPoolTest, AnIdempotentRequestLostToAnIdleCloseIsSentOnceMore) {
  ScriptedServer server(io_, Reply::drop_second);
  ClientPool pool = make_pool(server.endpoint());
  ASSERT_TRUE(run(get(pool, "/first")));
  const ClientResult second = run(get(pool, "/second"));
  ASSERT_TRUE(second) << client_error_name(second.error());
  EXPECT_EQ(second->body, "/second");
  EXPECT_EQ(server.accepted, 2u);
  EXPECT_EQ(server.requests.size(), 3u) << "/first, /second dropped, /second again";
}

TEST_F(ClientPoolTest, APostLostToAnIdleCloseIsNotSentAgain) {
  ScriptedServer server(io_, Reply::drop_second);
  ClientPool pool = make_pool(server.endpoint());
  ASSERT_TRUE(run(get(pool, "/first")));
  const ClientResult second = run(pool.exchange(Verb::post, "/orders", "{}", {}));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error(), ClientError::connection_error);
  EXPECT_EQ(server.requests.size(), 2u);
}

TEST_F(ClientPoolTest, ConnectionCloseFromTheServerIsRespected) {
  ScriptedServer server(io_, Reply::echo_connection_close);
  ClientPool pool = make_pool(server.endpoint());
  const auto first = run(get(pool, "/a"));
  ASSERT_TRUE(first);
  EXPECT_EQ(pool.idle_connections(), 0u);
  EXPECT_TRUE(run(eventually([&] { return server.open == 0; }))) << "the client closed it";
  ASSERT_TRUE(run(get(pool, "/b")));
  EXPECT_EQ(server.accepted, 2u);
}

TEST_F(ClientPoolTest, AServerErrorIsAResponseNotAClientError) {
  ScriptedServer server(io_, Reply::server_error);
  ClientPool pool = make_pool(server.endpoint());
  const ClientResult result = run(get(pool, "/"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 503u);
  EXPECT_EQ(pool.idle_connections(), 1u);
}

TEST_F(ClientPoolTest, CancellationThroughTheSlotReturnsCancelledPromptlyAndClosesTheConnection) {
  ScriptedServer server(io_, Reply::never);
  ClientPool pool = make_pool(server.endpoint(), 4, 60s);
  asio::cancellation_signal signal;
  std::optional<ClientResult> outcome;
  const auto start = Clock::now();
  asio::co_spawn(
      io_, get(pool, "/slow"),
      asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr e, ClientResult r) {
        if (!e) outcome = std::move(r);
      }));
  const bool done = run([&]() -> awaitable<bool> {
    co_await eventually([&] { return server.requests.size() == 1; });
    signal.emit(asio::cancellation_type::terminal);
    co_return co_await eventually([&] { return outcome.has_value(); });
  }());
  const auto elapsed = Clock::now() - start;
  ASSERT_TRUE(done);
  ASSERT_FALSE(*outcome);
  EXPECT_EQ(outcome->error(), ClientError::cancelled);
  EXPECT_LT(elapsed, 10s) << "far sooner than the 60 s per-try timeout";
  EXPECT_EQ(pool.idle_connections(), 0u);
  EXPECT_TRUE(run(eventually([&] { return server.open == 0; }))) << "the client closed it";
}

TEST_F(ClientPoolTest, TheLoserOfAnOrIsCancelled) {
  using namespace asio::experimental::awaitable_operators;
  ScriptedServer server(io_, Reply::never);
  ClientPool pool = make_pool(server.endpoint(), 4, 60s);
  const auto winner = run([&]() -> awaitable<std::size_t> {
    asio::steady_timer route_deadline(io_, 50ms);
    auto either = co_await (get(pool, "/slow") || route_deadline.async_wait(asio::use_awaitable));
    co_return either.index();
  }());
  EXPECT_EQ(winner, 1u) << "the deadline won";
  EXPECT_EQ(pool.idle_connections(), 0u);
  EXPECT_TRUE(run(eventually([&] { return server.open == 0; }))) << "the client closed it";
}

TEST_F(ClientPoolTest, DurationsAndOpenConnectionsAreRecordedWithSemanticConventionAttributes) {
  ScriptedServer ok_server(io_, Reply::echo);
  ScriptedServer silent_server(io_, Reply::never);
  ScriptedServer failing_server(io_, Reply::server_error);
  ClientPool ok_pool = make_pool(ok_server.endpoint());
  ClientPool silent_pool = make_pool(silent_server.endpoint(), 4, 20ms);
  ClientPool failing_pool = make_pool(failing_server.endpoint());
  (void)run(failing_pool.exchange(Verb::post, "/d", "{}", {}));
  (void)run(get(ok_pool, "/a"));
  (void)run(get(ok_pool, "/b"));
  (void)run(get(silent_pool, "/c"));
  const auto snapshot = meter_.collect();
  const std::int64_t ok_port = ok_server.endpoint().port();
  const std::int64_t silent_port = silent_server.endpoint().port();

  const auto& durations = histogram_of(snapshot, "http.client.request.duration").points;
  const auto* ok = point_with(durations, {{"http.request.method", std::string("GET")},
                                          {"server.address", std::string("127.0.0.1")},
                                          {"server.port", ok_port},
                                          {"http.response.status_code", std::int64_t{200}}});
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->count, 2u);
  const auto* timed_out = point_with(durations, {{"http.request.method", std::string("GET")},
                                                 {"server.address", std::string("127.0.0.1")},
                                                 {"server.port", silent_port},
                                                 {"error.type", std::string("timeout")}});
  ASSERT_NE(timed_out, nullptr);
  EXPECT_EQ(timed_out->count, 1u);
  EXPECT_GE(*timed_out->min, 0.020);
  const auto* failed =
      point_with(durations, {{"http.request.method", std::string("POST")},
                             {"server.address", std::string("127.0.0.1")},
                             {"server.port", std::int64_t{failing_server.endpoint().port()}},
                             {"http.response.status_code", std::int64_t{503}},
                             {"error.type", std::string("503")}});
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->count, 1u);
  EXPECT_EQ(durations.size(), 3u) << "one series per (server, method, outcome) seen";

  const auto& open = sum_of(snapshot, "http.client.open_connections").points;
  const auto value_of = [&](std::string state, std::int64_t port) -> std::int64_t {
    const auto* point = point_with(open, {{"http.connection.state", std::move(state)},
                                          {"server.address", std::string("127.0.0.1")},
                                          {"server.port", port}});
    return point == nullptr ? -1 : std::get<std::int64_t>(point->value);
  };
  EXPECT_EQ(value_of("idle", ok_port), 1);
  EXPECT_EQ(value_of("active", ok_port), 0);
  EXPECT_EQ(value_of("idle", silent_port), 0) << "the timed-out connection was closed";
  EXPECT_EQ(value_of("active", silent_port), 0);
}

}  // namespace
}  // namespace latencylab::http
