// Starts `latencylab serve` in-process on 127.0.0.1:0 with its own io thread, and speaks to it
// over loopback with a real HTTP client (Beast), as a user's tool would.
//
//   ServiceFixture service{[](config::Config& c) { c.time_scale = 0.001; }};
//   auto response = service.request(http::verb::get, "/health");
//   EXPECT_EQ(response.result_int(), 200);
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "app/service.hpp"
#include "config/graph.hpp"

namespace latencylab::testing {

namespace beast_http = boost::beast::http;
using Response = beast_http::response<beast_http::string_body>;

// The route `method path` of a graph service (fails the test when there is none).
config::Route& route_of(config::Service& service, std::string_view method, std::string_view path);

// Calls f(step) for every fail step of `steps`, nested ones included.
void for_each_fail_step(config::Steps& steps, const std::function<void(config::FailStep&)>& f);

// The route's fail step (fails the test when it has none).
config::FailStep& fail_step_of(config::Route& route);

// No simulated failures and no payment declines, so a test's assertions are deterministic.
void without_failures(config::Service& service);

class ServiceFixture {
 public:
  using Customize = std::function<void(app::ServiceOptions&)>;

  // Defaults: seed 42, time_scale 0.001 (a 3 s endpoint answers in ~3 ms), metrics on, no export.
  explicit ServiceFixture(const Customize& customize = {});
  ~ServiceFixture();

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] app::Service& service() noexcept { return *service_; }

  // One request on a fresh connection; the body is sent with Content-Type application/json.
  Response request(beast_http::verb verb, std::string_view target, std::string body = {},
                   std::string_view content_type = "application/json");

  // A connected socket for tests that write raw bytes.
  boost::asio::ip::tcp::socket connect();

  // Drains and joins the io thread; idempotent.
  void stop();

 private:
  boost::asio::io_context client_io_;
  std::unique_ptr<app::Service> service_;
  std::uint16_t port_ = 0;
  std::thread io_thread_;
};

// Writes `raw` and reads one response (Beast parser). Returns the response and whether the server
// closed the connection afterwards (a read of EOF within `close_wait`).
struct RawExchange {
  Response response;
  bool parsed = false;
  bool closed_after = false;
};
RawExchange exchange_raw(boost::asio::ip::tcp::socket& socket, std::string_view raw,
                         std::chrono::milliseconds close_wait = std::chrono::milliseconds(500));

// True when the peer closes the socket within `wait` without sending anything.
bool closed_within(boost::asio::ip::tcp::socket& socket, std::chrono::milliseconds wait);

}  // namespace latencylab::testing
