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

GraphFile::GraphFile(std::string_view name, const std::function<void(config::Service&)>& change)
    : path_((std::filesystem::path(::testing::TempDir()) /
             ("latencylab_graph_" + std::string(name) + ".json"))
                .string()) {
  config::Graph graph = config::default_graph();
  change(graph.services.front());
  std::ofstream(path_) << core::json::serialize(config::graph_to_json(graph));
}

GraphFile::~GraphFile() {
  std::filesystem::remove(path_);
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
