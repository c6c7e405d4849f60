#include "app/service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdlib>
#include <random>

#include "core/log.hpp"

namespace latencylab::app {
namespace {

using Clock = std::chrono::steady_clock;

// The final export still gets this long when in-flight requests used up the drain deadline.
constexpr std::chrono::milliseconds kMinimumFinalExportBudget{1000};

// Seed 0 asks for a fresh seed; the one chosen is written back so the startup log shows it and
// a run can be replayed.
config::Config with_effective_seed(config::Config config) {
  if (config.seed == 0) {
    std::random_device entropy;
    config.seed = (static_cast<std::uint64_t>(entropy()) << 32) | entropy();
  }
  return config;
}

std::vector<std::string> route_templates_of(const http::Router& router) {
  const auto templates = router.route_templates();
  return {templates.begin(), templates.end()};
}

}  // namespace

http::Limits limits_from(const config::ServerConfig& server) {
  using std::chrono::milliseconds;
  http::Limits limits;
  limits.header_limit_bytes = server.header_limit_bytes;
  limits.body_limit_bytes = server.body_limit_bytes;
  limits.header_timeout = milliseconds(server.header_timeout_ms);
  limits.body_timeout = milliseconds(server.body_timeout_ms);
  limits.idle_timeout = milliseconds(server.idle_timeout_ms);
  limits.write_timeout = milliseconds(server.write_timeout_ms);
  limits.max_connections = server.max_connections;
  limits.retry_after_seconds = server.retry_after_s;
  return limits;
}

Service::Service(ServiceOptions options)
    : options_([&] {
        options.config = with_effective_seed(std::move(options.config));
        return std::move(options);
      }()),
      limits_(limits_from(options_.config.server)),
      rng_(options_.config.seed),
      meter_(options_.meter),
      registry_(io_.get_executor()),
      health_([this] { return registry_.draining(); }),
      graph_service_(options_.service, {io_.get_executor(), rng_, meter_,
                                        options_.config.time_scale, options_.downstream_urls}),
      router_([this] {
        http::Router router;
        health_.register_routes(router);
        graph_service_.register_routes(router);
        return router;
      }()),
      http_metrics_(options_.http_metrics_enabled
                        ? telemetry::HttpServerMetrics(meter_, route_templates_of(router_), "http")
                        : telemetry::HttpServerMetrics()),
      access_log_(options_.config.log.access_log, options_.config.log.access_log_sample_rate,
                  rng_()),
      request_ids_(rng_()),
      server_context_{router_,       limits_,     deadlines_,  registry_,
                      http_metrics_, access_log_, request_ids_} {
  if (options_.http_metrics_enabled) lag_probe_.emplace(io_, meter_);
  meter_.create_observable_up_down_counter<std::int64_t>(
      {"latencylab.server.open_connections", "Connections currently open", "{connection}"},
      [this](telemetry::ObservableResult<std::int64_t>& result) {
        result.observe(static_cast<std::int64_t>(registry_.size()));
      });
  if (options_.exporter) {
    reader_.emplace(io_, meter_, *options_.exporter, options_.reader);
  }
  const auto& server = options_.config.server;
  const asio::ip::tcp::endpoint endpoint{asio::ip::make_address(server.address),
                                         static_cast<std::uint16_t>(server.port)};
  listener_.emplace(io_.get_executor(), endpoint, server_context_);
}

Service::~Service() {
  io_.shutdown();
  // Normally the reader shut the exporter down at the end of the drain; not if run() never drained.
  if (options_.exporter && !exporter_shut_down_) options_.exporter->shutdown(1000);
}

std::uint16_t Service::port() const {
  return listener_->local_endpoint().port();
}

void Service::run() {
  asio::co_spawn(io_, listener_->run(), asio::detached);
  if (lag_probe_) lag_probe_->start();
  if (reader_) reader_->start();
  if (options_.handle_signals) asio::co_spawn(io_, watch_signals(), asio::detached);
  core::log::info("listening", {{"address", options_.config.server.address}, {"port", port()}});
  io_.run();
  core::log::info("stopped");
}

void Service::request_drain() {
  asio::post(io_, [this] {
    if (draining_) return;
    draining_ = true;
    asio::co_spawn(io_, drain(), asio::detached);
  });
}

awaitable<void> Service::watch_signals() {
  asio::signal_set signals(io_, SIGINT, SIGTERM);
  auto [ec, signal] = co_await signals.async_wait(use_nothrow);
  if (ec) co_return;
  core::log::info("signal_received", {{"signal", signal}, {"action", "drain"}});
  request_drain();
  auto [ec2, second] = co_await signals.async_wait(use_nothrow);
  if (ec2) co_return;
  // A second signal means the operator will not wait: leave without draining further.
  core::log::warn("signal_received", {{"signal", second}, {"action", "exit_now"}});
  core::log::flush();
  std::_Exit(128 + second);
}

awaitable<void> Service::drain() {
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(options_.config.server.drain_timeout_ms);
  core::log::info("drain_started", {{"open_connections", registry_.size()}});
  listener_->stop();
  registry_.begin_drain();
  co_await registry_.wait_until_empty(deadline);
  if (registry_.size() != 0) {
    core::log::warn("drain_deadline_passed", {{"open_connections", registry_.size()}});
    registry_.close_all();
  }
  if (lag_probe_) lag_probe_->stop();
  if (reader_) {
    const auto budget =
        std::max(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()),
                 kMinimumFinalExportBudget);
    const telemetry::ExportResult last =
        co_await reader_->async_shutdown(budget, asio::use_awaitable);
    exporter_shut_down_ = true;
    if (!last.ok) core::log::warn("final_metrics_export_failed", {{"error", last.error}});
  }
  core::log::info("drain_finished");
  io_.stop();
}

}  // namespace latencylab::app
