#include "app/healthcheck_command.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/program_options.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <iostream>
#include <optional>
#include <string>

#include "app/options_only.hpp"
#include "core/asio.hpp"

namespace latencylab::app {
namespace {

namespace po = boost::program_options;
namespace http = boost::beast::http;

struct Target {
  std::string host;  // as resolved: "127.0.0.1", "::1" (no brackets), "localhost"
  std::string port;
  std::string path;
  std::string host_header;  // as the URL spells it: "[::1]:8080"
};

awaitable<int> probe(const Target& target, std::chrono::milliseconds timeout) {
  auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(executor);
  auto [resolve_ec, endpoints] =
      co_await resolver.async_resolve(target.host, target.port, use_nothrow);
  if (resolve_ec) {
    std::cerr << "healthcheck: cannot resolve " << target.host << ": " << resolve_ec.message()
              << '\n';
    co_return 1;
  }
  beast::tcp_stream stream(executor);
  stream.expires_after(timeout);
  auto [connect_ec, endpoint] = co_await stream.async_connect(endpoints, use_nothrow);
  if (connect_ec) {
    std::cerr << "healthcheck: cannot connect: " << connect_ec.message() << '\n';
    co_return 1;
  }
  http::request<http::empty_body> request{http::verb::get, target.path, 11};
  request.set(http::field::host, target.host_header);
  request.set(http::field::user_agent, "latencylab-healthcheck");
  request.keep_alive(false);
  auto [write_ec, written] = co_await http::async_write(stream, request, use_nothrow);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  auto [read_ec, read] = co_await http::async_read(stream, buffer, response, use_nothrow);
  if (write_ec || read_ec) {
    std::cerr << "healthcheck: request failed: " << (write_ec ? write_ec : read_ec).message()
              << '\n';
    co_return 1;
  }
  if (response.result() != http::status::ok) {
    std::cerr << "healthcheck: status " << response.result_int() << ": " << response.body() << '\n';
    co_return 1;
  }
  co_return 0;
}

}  // namespace

int run_healthcheck_command(int argc, char** argv) {
  std::string url;
  long timeout_ms = 3000;
  po::options_description options("latencylab healthcheck options");
  options.add_options()("help,h", "show this help")(
      "url", po::value(&url)->default_value("http://127.0.0.1:8080/health"),
      "health URL (http only)")("timeout-ms", po::value(&timeout_ms)->default_value(3000),
                                "give up after this many milliseconds");
  po::variables_map values;
  std::optional<std::string> stray;
  try {
    stray = store_options_only(argc, argv, options, values);
  } catch (const po::error& error) {
    std::cerr << "latencylab healthcheck: " << error.what() << "\n\n" << options;
    return 2;
  }
  if (values.count("help")) {
    std::cout << options;
    return 0;
  }
  if (stray) {
    std::cerr << "latencylab healthcheck: unexpected argument '" << *stray
              << "' (the health URL is --url URL)\n";
    return 2;
  }
  if (timeout_ms <= 0) {
    std::cerr << "latencylab healthcheck: --timeout-ms must be greater than 0, got " << timeout_ms
              << '\n';
    return 2;
  }
  auto parsed = boost::urls::parse_uri(url);
  // The path check also refuses what Boost.URL 1.81 wrongly accepts: "http://h:80x/health".
  if (!parsed || parsed->scheme() != "http" || parsed->host().empty() ||
      (!parsed->encoded_path().empty() && !parsed->encoded_path().starts_with('/'))) {
    std::cerr << "latencylab healthcheck: --url must be an http:// URL, got '" << url << "'\n";
    return 2;
  }
  Target target{parsed->host_address(), parsed->port().empty() ? "80" : std::string(parsed->port()),
                parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path()),
                std::string(parsed->encoded_host_and_port())};
  asio::io_context io{1};
  int exit_code = 1;
  asio::co_spawn(io, probe(target, std::chrono::milliseconds(timeout_ms)),
                 [&](std::exception_ptr failure, int code) {
                   if (!failure) exit_code = code;
                 });
  io.run();
  return exit_code;
}

}  // namespace latencylab::app
