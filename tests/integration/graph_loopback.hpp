// Helpers for the service-graph proofs: services of one graph started in this process on
// 127.0.0.1:0 (callees first, callers pointed at their ports), a closed-loop load of synchronous
// keep-alive clients, raw TCP servers that misbehave on purpose, and a metric exporter that keeps
// what the periodic reader saw while the service ran.
//
//   config::Graph graph = config::parse_graph(kGraph, "test graph");
//   auto orders = start_service(graph.service("orders"), {}, 1.0);
//   LoadResult load = closed_loop(orders->port(), "/q", 16, std::chrono::seconds(1));
//   RawServer garbage{[](std::size_t) { return RawReply::garbage; }};
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "config/graph.hpp"
#include "service_fixture.hpp"
#include "telemetry/metric_exporter.hpp"

namespace latencylab::testing {

// "http://127.0.0.1:<port>".
std::string loopback_url(std::uint16_t port);

// Starts `service` in-process; `downstream_urls` maps its downstreams' names to urls.
std::unique_ptr<ServiceFixture> start_service(
    const config::Service& service, std::map<std::string, std::string, std::less<>> downstream_urls,
    double time_scale, std::unique_ptr<telemetry::MetricExporter> exporter = nullptr,
    std::chrono::milliseconds export_interval = std::chrono::milliseconds(20));

// One answer as a client saw it.
struct Answer {
  unsigned status = 0;  // 0: no answer (transport error)
  std::string error;    // the JSON body's "error", when there is one
  std::chrono::nanoseconds latency{0};
};

// How many requests the service recorded in http.server.request.duration for `route` with
// `status` and error.type `error_type`.
std::uint64_t server_requests(const telemetry::MetricsSnapshot& snapshot, std::string_view route,
                              unsigned status, std::string_view error_type);

// One request on a fresh connection.
Answer request_once(std::uint16_t port, std::string_view method, std::string_view target);

struct LoadResult {
  std::vector<Answer> answers;  // completed within the run, in no particular order
  std::chrono::nanoseconds elapsed{0};
  [[nodiscard]] std::size_t count(unsigned status) const;
  [[nodiscard]] std::size_t count(unsigned status, std::string_view error) const;
  // The p-quantile (0..1) of the latencies of answers with `status`, in ms.
  [[nodiscard]] double latency_ms(unsigned status, double p) const;
};

// `clients` threads, each a keep-alive connection sending GET `target` until `duration` has passed
// since the start; a request still waiting then is not counted. `pace` 0: back to back; else each
// client sends at most one request per `pace` (clients * 1 s / pace offered per second, less when
// answers take longer than `pace`), so fast refusals do not multiply the offered load.
LoadResult closed_loop(std::uint16_t port, std::string_view target, int clients,
                       std::chrono::milliseconds duration,
                       std::chrono::milliseconds pace = std::chrono::milliseconds(0));

// What a RawServer does with a request it read.
enum class RawReply {
  ok,           // 200 {"ok":true}, keep-alive
  unavailable,  // 503 {"error":"down"}, keep-alive
  not_found,    // 404 {"error":"missing"}, keep-alive
  garbage,      // bytes that are not HTTP, then close
  reset,        // close with SO_LINGER 0: the peer sees a reset
  silent,       // never answers
};

// A tiny HTTP/1.1 server on 127.0.0.1:0, on its own thread, that answers request n (from 0, over
// all connections) as `reply(n)` says.
class RawServer {
 public:
  explicit RawServer(std::function<RawReply(std::size_t)> reply);
  ~RawServer();
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::size_t requests() const noexcept { return requests_.load(); }

 private:
  std::function<RawReply(std::size_t)> reply_;
  boost::asio::io_context io_{1};
  std::uint16_t port_ = 0;
  std::atomic<std::size_t> requests_{0};
  std::thread thread_;
};

// Keeps the largest value each up-down counter point (by metric name) had in any export.
class PeakExporter : public telemetry::MetricExporter {
 public:
  struct Peaks {
    std::mutex mutex;
    std::map<std::string, std::int64_t, std::less<>> peak;
  };
  explicit PeakExporter(std::shared_ptr<Peaks> peaks) : peaks_(std::move(peaks)) {}
  void export_async(std::shared_ptr<const telemetry::MetricsSnapshot> snapshot,
                    Completion done) override;
  [[nodiscard]] telemetry::TemporalityPreference temporality_preference() const override {
    return telemetry::TemporalityPreference::cumulative;
  }
  void shutdown(long /*timeout_ms*/) override {}

 private:
  std::shared_ptr<Peaks> peaks_;
};

}  // namespace latencylab::testing
