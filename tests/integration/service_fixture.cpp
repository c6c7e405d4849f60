#include "service_fixture.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <filesystem>
#include <fstream>

#include "config/config_loader.hpp"
#include "config/graph_file.hpp"
#include "core/json_writer.hpp"

namespace latencylab::testing {

namespace asio = boost::asio;
using asio::ip::tcp;

config::Route& route_of(config::Service& service, std::string_view method, std::string_view path) {
  for (config::Route& route : service.routes) {
    if (route.method == method && route.path == path) return route;
  }
  throw std::invalid_argument("no route " + std::string(method) + " " + std::string(path));
}

config::FailStep& fail_step_of(config::Route& route) {
  for (config::Step& step : route.steps) {
    if (auto* fail = std::get_if<config::FailStep>(&step.action)) return *fail;
  }
  throw std::invalid_argument("route " + route.path + " has no fail step");
}

void without_failures(config::Service& service) {
  for (config::Route& route : service.routes) {
    for_each_fail_step(route.steps, [](config::FailStep& fail) { fail.probability = 0.0; });
  }
  service.business.decline_rate = 0.0;
}

ServiceFixture::ServiceFixture(const Customize& customize) {
  app::ServiceOptions options;
  options.config = config::default_config();
  options.config.server.address = "127.0.0.1";
  options.config.server.port = 0;
  options.config.seed = 42;
  options.config.time_scale = 0.001;
  if (customize) customize(options);
  config::validate(options.config);
  service_ = std::make_unique<app::Service>(std::move(options));
  port_ = service_->port();
  io_thread_ = std::thread([this] { service_->run(); });
}

void for_each_fail_step(config::Steps& steps, const std::function<void(config::FailStep&)>& f) {
  for (auto& step : steps) {
    if (auto* fail = std::get_if<config::FailStep>(&step.action)) f(*fail);
    if (auto* cache = std::get_if<config::CacheStep>(&step.action))
      for_each_fail_step(cache->miss, f);
    if (auto* parallel = std::get_if<config::ParallelStep>(&step.action)) {
      for_each_fail_step(parallel->steps, f);
    }
  }
}

ServiceFixture::~ServiceFixture() {
  stop();
}

void ServiceFixture::stop() {
  if (!io_thread_.joinable()) return;
  service_->request_drain();
  io_thread_.join();
}

tcp::socket ServiceFixture::connect() {
  tcp::socket socket(client_io_);
  socket.connect({asio::ip::make_address("127.0.0.1"), port_});
  return socket;
}

Response ServiceFixture::request(beast_http::verb verb, std::string_view target, std::string body,
                                 std::string_view content_type) {
  tcp::socket socket = connect();
  beast_http::request<beast_http::string_body> request{verb, target, 11};
  request.set(beast_http::field::host, "127.0.0.1");
  if (!body.empty() || verb == beast_http::verb::post) {
    request.set(beast_http::field::content_type, content_type);
    request.body() = std::move(body);
    request.prepare_payload();
  }
  beast_http::write(socket, request);
  boost::beast::flat_buffer buffer;
  Response response;
  beast_http::read(socket, buffer, response);
  return response;
}

bool closed_within(tcp::socket& socket, std::chrono::milliseconds wait) {
  pollfd descriptor{socket.native_handle(), POLLIN, 0};
  if (::poll(&descriptor, 1, static_cast<int>(wait.count())) <= 0) return false;
  char byte = 0;
  boost::system::error_code ec;
  const std::size_t n = socket.read_some(asio::buffer(&byte, 1), ec);
  return n == 0 && (ec == asio::error::eof || ec == asio::error::connection_reset);
}

RawExchange exchange_raw(tcp::socket& socket, std::string_view raw,
                         std::chrono::milliseconds close_wait) {
  RawExchange result;
  asio::write(socket, asio::buffer(raw));
  boost::beast::flat_buffer buffer;
  boost::system::error_code ec;
  beast_http::read(socket, buffer, result.response, ec);
  result.parsed = !ec;
  result.closed_after = buffer.size() == 0 && closed_within(socket, close_wait);
  return result;
}

}  // namespace latencylab::testing
