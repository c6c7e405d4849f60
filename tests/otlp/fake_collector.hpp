// An in-process OTLP/gRPC collector for exporter tests: a real grpc::Server on 127.0.0.1 with an
// ephemeral port, implementing the generated MetricsService. Each test scripts the replies (status
// code, RetryInfo, stall, partial success) and inspects what arrived (request, metadata, encoding,
// arrival time).
//
//   FakeCollector collector;
//   collector.script({ScriptedReply::failure(grpc::StatusCode::UNAVAILABLE)});  // then OK
//   settings.target = collector.target();
//   ...
//   ASSERT_TRUE(collector.wait_for_calls(2, 5s));
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"

namespace latencylab::telemetry::otlp::testing {

struct ScriptedReply {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::optional<std::chrono::milliseconds> retry_delay;  // sent as google.rpc.RetryInfo
  std::chrono::milliseconds stall{0};  // wait this long (or until cancelled) before replying
  std::int64_t rejected_data_points = 0;
  std::string partial_success_message;

  static ScriptedReply ok() { return {}; }
  static ScriptedReply failure(grpc::StatusCode code,
                               std::optional<std::chrono::milliseconds> retry_delay = {}) {
    ScriptedReply reply;
    reply.code = code;
    reply.retry_delay = retry_delay;
    return reply;
  }
  static ScriptedReply stalled(std::chrono::milliseconds stall) {
    ScriptedReply reply;
    reply.stall = stall;
    return reply;
  }
  static ScriptedReply partial_success(std::int64_t rejected, std::string message) {
    ScriptedReply reply;
    reply.rejected_data_points = rejected;
    reply.partial_success_message = std::move(message);
    return reply;
  }
};

struct ReceivedCall {
  opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest request;
  std::multimap<std::string, std::string> metadata;  // client metadata, as received
  std::chrono::steady_clock::time_point arrived;
};

class FakeCollector {
 public:
  // grpc++ hides the grpc-encoding header from handlers; a collector that rejects gzip
  // (UNIMPLEMENTED) is how a test observes that a request really arrived gzip-encoded.
  enum class Gzip { accepted, rejected };

  explicit FakeCollector(Gzip gzip = Gzip::accepted);
  ~FakeCollector();
  FakeCollector(const FakeCollector&) = delete;
  FakeCollector& operator=(const FakeCollector&) = delete;

  // "127.0.0.1:<port>"
  [[nodiscard]] std::string target() const;

  // Replies for the next calls, in order; once used up every call succeeds.
  void script(std::vector<ScriptedReply> replies);

  [[nodiscard]] std::vector<ReceivedCall> calls() const;
  bool wait_for_calls(std::size_t count, std::chrono::milliseconds timeout) const;

  // Ends the stalls of the calls held now: they reply as scripted at once.
  void release_stalls();

  // Stops the server (cancelling stalled calls); the port is then closed.
  void stop();

 private:
  class Service;

  // Guarded by mutex_ (the service's handlers run on gRPC server threads).
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<ScriptedReply> script_;
  std::vector<ReceivedCall> calls_;
  std::uint64_t stall_releases_ = 0;  // release_stalls() calls so far
  bool stopping_ = false;

  std::unique_ptr<Service> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace latencylab::telemetry::otlp::testing
