// The end-to-end benchmark's baseline: the least a Boost.Beast coroutine server must do to answer
// GET /health and GET /api/products the way `latencylab serve` does (same JSON bodies, same
// Content-Type/Content-Length/keep-alive handling), with nothing else: one io_context on one
// thread, one coroutine per connection, no router, no limits or deadlines, no metrics, no logging.
// Whatever latencylab costs above this is the price of its features and its telemetry.
//
//   bare_beast_server 18081 products.json   # 127.0.0.1:18081; products.json is served verbatim
//
// Loopback only. Stops on SIGINT/SIGTERM.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "core/asio.hpp"
#include "core/wall_clock.hpp"
#include "http/message.hpp"

namespace latencylab::bench {
namespace {

using asio::ip::tcp;
namespace beast_http = http::beast_http;

// Read-only after startup; the io thread is the only thread.
struct Bodies {
  std::string products;
};

http::Response respond(const http::Request& request, const Bodies& bodies) {
  http::Response response{http::Status::ok, request.version()};
  response.set(beast_http::field::content_type, "application/json");
  response.keep_alive(request.keep_alive());
  const std::string_view target = request.target();
  if (request.method() == http::Verb::get && target == "/health") {
    // Same body as latencylab's health handler, timestamp included.
    response.body() = R"({"status":"ok","timestamp":")" +
                      core::format_rfc3339(std::chrono::system_clock::now()) + "\"}";
  } else if (request.method() == http::Verb::get && target == "/api/products") {
    response.body() = bodies.products;
  } else {
    response.result(http::Status::not_found);
    response.body() = R"({"error":"not_found"})";
  }
  response.prepare_payload();
  return response;
}

awaitable<void> session(tcp::socket socket, const Bodies& bodies) {
  beast::flat_buffer buffer;
  for (;;) {
    http::Request request;
    auto [read_error, read_bytes] =
        co_await beast_http::async_read(socket, buffer, request, use_nothrow);
    if (read_error) co_return;
    const http::Response response = respond(request, bodies);
    auto [write_error, written] = co_await beast_http::async_write(socket, response, use_nothrow);
    if (write_error || !response.keep_alive()) co_return;
  }
}

awaitable<void> listen(tcp::acceptor& acceptor, const Bodies& bodies) {
  for (;;) {
    auto [error, socket] = co_await acceptor.async_accept(use_nothrow);
    if (error == asio::error::operation_aborted) co_return;
    if (error) continue;  // e.g. EMFILE: keep serving the connections we have
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket), bodies), asio::detached);
  }
}

int run(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: bare_beast_server PORT [PRODUCTS_JSON_FILE]\n";
    return 2;
  }
  Bodies bodies;
  if (argc == 3) {
    std::ifstream file(argv[2], std::ios::binary);
    if (!file) {
      std::cerr << "bare_beast_server: cannot read " << argv[2] << '\n';
      return 2;
    }
    bodies.products.assign(std::istreambuf_iterator<char>(file), {});
  }
  const auto port = static_cast<unsigned short>(std::strtoul(argv[1], nullptr, 10));

  asio::io_context io{1};
  tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), port}};
  asio::signal_set signals{io, SIGINT, SIGTERM};
  signals.async_wait([&](const error_code&, int) {
    acceptor.close();
    io.stop();
  });
  asio::co_spawn(io, listen(acceptor, bodies), asio::detached);
  std::cout << "listening on 127.0.0.1:" << acceptor.local_endpoint().port() << std::endl;
  io.run();
  return 0;
}

}  // namespace
}  // namespace latencylab::bench

int main(int argc, char** argv) {
  try {
    return latencylab::bench::run(argc, argv);
  } catch (const std::exception& error) {  // startup only: bind failures
    std::cerr << "bare_beast_server: " << error.what() << '\n';
    return 1;
  }
}
