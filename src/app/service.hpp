// The composition root of `latencylab serve`: one io_context (one thread, see io_) running the
// listener, every session, every simulated-latency timer, the metric instruments, the io-loop lag
// probe and the periodic metric reader.
//
// Lifecycle: construct (binds the port, freezes routes) -> run() on the calling thread ->
// request_drain() from any thread (or SIGTERM/SIGINT when handle_signals is set) -> run() returns
// after the drain and the final metric export.
//
//   Service service{std::move(options)};
//   std::thread io([&] { service.run(); });
//   service.request_drain();
//   io.join();
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "config/graph.hpp"
#include "config/graph_file.hpp"
#include "core/io_context.hpp"
#include "graph/graph_service.hpp"
#include "handlers/health_handler.hpp"
#include "http/access_log.hpp"
#include "http/connection_registry.hpp"
#include "http/limits.hpp"
#include "http/listener.hpp"
#include "http/request_id.hpp"
#include "http/router.hpp"
#include "sim/random.hpp"
#include "telemetry/http_server_metrics.hpp"
#include "telemetry/io_loop_lag_probe.hpp"
#include "telemetry/meter.hpp"
#include "telemetry/metric_exporter.hpp"
#include "telemetry/periodic_reader.hpp"

namespace latencylab::app {

struct ServiceOptions {
  config::Config config;
  // The graph service this process runs (routes, resources); /health and /ready come on top.
  config::Service service = config::default_graph().services.front();
  // Where each of the service's downstreams is reached (config::resolve_service), by name.
  std::map<std::string, std::string, std::less<>> downstream_urls;
  // false: no request guard and no lag probe (the "metrics off" benchmark baseline).
  bool http_metrics_enabled = true;
  telemetry::MeterOptions meter;
  // null: nothing is exported (OTEL_SDK_DISABLED, OTEL_METRICS_EXPORTER=none).
  std::unique_ptr<telemetry::MetricExporter> exporter;
  telemetry::PeriodicReaderOptions reader;
  bool handle_signals = false;
};

class Service {
 public:
  explicit Service(ServiceOptions options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  [[nodiscard]] std::uint16_t port() const;

  // Runs the io_context until the drain completes. Call once.
  void run();

  // Thread-safe: starts the graceful drain (idempotent).
  void request_drain();

  // The effective config (with the seed actually used).
  [[nodiscard]] const config::Config& config() const noexcept { return options_.config; }

  // The meter, for tests that inspect recorded metrics after run() returned.
  [[nodiscard]] telemetry::Meter& meter() noexcept { return meter_; }

 private:
  awaitable<void> drain();
  awaitable<void> watch_signals();

  ServiceOptions options_;
  // Constructed first; ~Service() shuts it down first, while the objects that suspended coroutine
  // frames reference (meter, registry, handlers) are still alive.
  // Only the thread in run() touches its sockets and timers; other threads only post to it
  // (request_drain(), the exporter's results). So the reactor's per-socket lock is dropped
  // (UNSAFE_IO: ~3 lock and unlock pairs, ~120 instructions per request) and the scheduler's,
  // which those posts need, is kept.
  core::OwnedIoContext io_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  http::Limits limits_;
  http::ServerDeadlines deadlines_{io_.get_executor(), limits_};
  sim::Rng rng_;
  telemetry::Meter meter_;
  http::ConnectionRegistry registry_;
  handlers::HealthHandler health_;
  graph::GraphService graph_service_;
  http::Router router_;  // after health_ and graph_service_, which fill it
  telemetry::HttpServerMetrics http_metrics_;
  std::optional<telemetry::IoLoopLagProbe> lag_probe_;
  std::optional<telemetry::PeriodicReader> reader_;
  http::AccessLog access_log_;
  http::RequestIdGenerator request_ids_;
  http::ServerContext server_context_;
  std::optional<http::Listener> listener_;
  bool draining_ = false;            // io thread only
  bool exporter_shut_down_ = false;  // io thread only
};

// Maps the configuration's server section onto the http layer's limits.
[[nodiscard]] http::Limits limits_from(const config::ServerConfig& server);

}  // namespace latencylab::app
