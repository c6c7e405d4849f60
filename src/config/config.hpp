// The service's typed configuration: defaults here, overridden by config/latencylab.json, then
// LATENCYLAB_* environment variables, then CLI flags (see config/config_loader.hpp). Routes,
// latencies and failures are not here: they are the service graph's (config/graph.hpp).
//
// Every struct is described with Boost.Describe: one declaration drives JSON parsing (unknown keys
// rejected), environment/CLI overrides by dotted path, and the effective-config startup log line.
// Durations are integers in milliseconds (`*_ms`) so the file format stays plain JSON.
//
//   latencylab::config::Config config = latencylab::config::default_config();
//   config.server.port = 9090;  // what `--port 9090` or LATENCYLAB_SERVER__PORT=9090 do
#pragma once

#include <boost/describe/class.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace latencylab::config {

struct ServerConfig {
  std::string address = "0.0.0.0";
  std::uint32_t port = 8080;
  std::uint32_t max_connections = 16000;  // below the 20000 open-file limit, leaving headroom
  std::uint32_t header_limit_bytes = 8 * 1024;
  std::uint32_t body_limit_bytes = 64 * 1024;
  std::uint32_t header_timeout_ms = 10'000;  // whole request header must arrive within this
  std::uint32_t body_timeout_ms = 10'000;    // whole body must arrive within this after the header
  std::uint32_t idle_timeout_ms = 60'000;    // keep-alive connection with no request is closed
  std::uint32_t write_timeout_ms = 10'000;   // client must take each response within this
  std::uint32_t drain_timeout_ms = 8'000;    // under compose's 10 s stop grace period
  std::uint32_t retry_after_s = 1;           // Retry-After on the over-capacity 503
};
BOOST_DESCRIBE_STRUCT(ServerConfig, (),
                      (address, port, max_connections, header_limit_bytes, body_limit_bytes,
                       header_timeout_ms, body_timeout_ms, idle_timeout_ms, write_timeout_ms,
                       drain_timeout_ms, retry_after_s))

struct LogConfig {
  std::string level = "info";
  bool access_log = false;
  double access_log_sample_rate = 1.0;
};
BOOST_DESCRIBE_STRUCT(LogConfig, (), (level, access_log, access_log_sample_rate))

struct Config {
  std::uint64_t seed = 0;   // 0: a fresh random seed per process (logged at startup)
  double time_scale = 1.0;  // multiplies every duration of the graph; 0.001 turns seconds into ms
  std::string graph;        // service graph file (docs/GRAPHS.md); empty: the built-in default
  std::string service;      // the graph's service this process runs; empty: the graph's only one
  // "name=http://host:port": where this process reaches the graph's service `name`, instead of
  // the url the graph gives it (config/resolved_service.hpp).
  std::vector<std::string> peers;
  // "path=value": changes to the graph's JSON before it is read, such as
  // "services.latencylab.routes[0].steps[1].fail.probability=0.2" (config/graph_overrides.hpp).
  std::vector<std::string> graph_overrides;
  ServerConfig server;
  LogConfig log;
};
BOOST_DESCRIBE_STRUCT(Config, (),
                      (seed, time_scale, graph, service, peers, graph_overrides, server, log))

// The documented defaults (docs/CONFIG.md): the members' initializers. What the service serves
// is the service graph's business (config/graph.hpp), not the config's.
[[nodiscard]] Config default_config();

}  // namespace latencylab::config
