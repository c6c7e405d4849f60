#include "telemetry/otlp/otlp_grpc_exporter.hpp"

#include <google/protobuf/arena.h>
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <future>
#include <random>
#include <sstream>
#include <stdexcept>
#include <stop_token>
#include <utility>

#include "core/log.hpp"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "telemetry/export_worker.hpp"
#include "telemetry/otlp/otlp_encoder.hpp"

namespace latencylab::telemetry::otlp {
namespace {

namespace collector = opentelemetry::proto::collector::metrics::v1;

// Bounds shutdown when the exporter is destroyed without an explicit shutdown() call.
constexpr long destructor_shutdown_timeout_ms = 2000;

std::string describe(const grpc::Status& status) {
  std::string text(status_code_name(status.error_code()));
  if (!status.error_message().empty()) {
    text.append(": ").append(status.error_message());
  }
  return text;
}

// One export, retries included, on the ExportWorker's thread. Owned by that thread: gRPC reads
// *request_ and writes response_ only during a call the thread is waiting on.
class OtlpSender {
 public:
  OtlpSender(OtlpExporterSettings settings, const std::shared_ptr<grpc::Channel>& channel,
             RetryClock& clock)
      : settings_(std::move(settings)),
        stub_(collector::MetricsService::NewStub(channel)),
        clock_(clock),
        jitter_rng_(std::random_device{}()) {}

  ExportResult send(const MetricsSnapshot& snapshot, const std::stop_token& stop) {
    // Everything of the previous request goes at once; the new one is built in the same arena.
    arena_.Reset();
    request_ =
        google::protobuf::Arena::CreateMessage<collector::ExportMetricsServiceRequest>(&arena_);
    encode_export_request(snapshot, *request_);
    const RetryClock::time_point deadline = clock_.now() + settings_.timeout;
    for (int attempt = 1;; ++attempt) {
      const grpc::Status status = call_once(deadline, stop);
      if (status.ok()) {
        log_partial_success();
        return {true, {}};
      }
      if (stop.stop_requested()) {
        return {false, "OTLP export cancelled by shutdown: " + describe(status)};
      }
      const RetryVerdict verdict =
          classify_export_failure(status.error_code(), status.error_details());
      std::string reason = describe(status);
      if (!verdict.retryable) {
        return {false, std::move(reason)};
      }
      if (attempt >= settings_.retry.max_attempts) {
        return {false, reason + " (gave up after " + std::to_string(attempt) + " attempts)"};
      }
      const std::chrono::milliseconds delay = verdict.server_delay.value_or(
          backoff_delay(settings_.retry, attempt, std::uniform_real_distribution<>{}(jitter_rng_)));
      const RetryClock::time_point retry_at = clock_.now() + delay;
      if (retry_at >= deadline) {
        return {false, reason + " (no time left for a retry within the " +
                           std::to_string(settings_.timeout.count()) + " ms export timeout)"};
      }
      core::log::debug("otlp_export_retry", {{"attempt", attempt},
                                             {"code", status_code_name(status.error_code())},
                                             {"delay_ms", delay.count()},
                                             {"server_delay", verdict.server_delay.has_value()}});
      if (!clock_.sleep_until(retry_at, stop)) {
        return {false, "OTLP export cancelled by shutdown while waiting to retry: " + reason};
      }
    }
  }

 private:
  // One Export call on the callback API. A stop request cancels it (TryCancel, on the thread that
  // requested the stop); gRPC then completes it promptly, so the wait below always ends.
  grpc::Status call_once(RetryClock::time_point deadline, const std::stop_token& stop) {
    if (stop.stop_requested()) {
      return {grpc::StatusCode::CANCELLED, "exporter shutting down"};
    }
    grpc::ClientContext context;
    // grpc++ takes system_clock deadlines only; translate the time left on our clock.
    context.set_deadline(std::chrono::system_clock::now() + (deadline - clock_.now()));
    for (const auto& [key, value] : settings_.headers) {
      context.AddMetadata(key, value);
    }
    if (settings_.compression == OtlpCompression::gzip) {
      context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    }
    response_.Clear();
    // The callback owns the promise and nothing else: no `this`, and no reference to the channel,
    // whose last release on a gRPC callback thread would make grpc++ 1.51 destroy its callback
    // completion queue from inside itself (a double free caught by ASan).
    auto finished = std::make_shared<std::promise<grpc::Status>>();
    std::future<grpc::Status> status = finished->get_future();
    stub_->async()->Export(&context, request_, &response_, [finished](grpc::Status result) {
      finished->set_value(std::move(result));
    });
    {
      // Its destructor waits for a TryCancel running on the stopping thread, so `context` outlives
      // it. No lock is held here: gRPC may run the completion inside TryCancel().
      const std::stop_callback cancel(stop, [&context] { context.TryCancel(); });
      status.wait();
    }
    return status.get();
  }

  // The spec: a partial success is not retried; the data it rejected is logged as dropped.
  void log_partial_success() const {
    if (!response_.has_partial_success()) {
      return;
    }
    const auto& partial = response_.partial_success();
    if (partial.rejected_data_points() > 0 || !partial.error_message().empty()) {
      core::log::warn("otlp_export_partial_success",
                      {{"rejected_data_points", partial.rejected_data_points()},
                       {"error_message", partial.error_message()}});
    }
  }

  const OtlpExporterSettings settings_;
  const std::unique_ptr<collector::MetricsService::Stub> stub_;
  RetryClock& clock_;

  // The request lives on arena_, reset per export: encoding is ~3x cheaper than with
  // heap-allocated sub-messages (bench/otlp_encoder_benchmark.cpp) and memory stays bounded by
  // the largest snapshot.
  google::protobuf::Arena arena_;
  collector::ExportMetricsServiceRequest* request_ = nullptr;
  collector::ExportMetricsServiceResponse response_;
  std::mt19937_64 jitter_rng_;
};

class OtlpGrpcExporter final : public MetricExporter {
 public:
  OtlpGrpcExporter(const OtlpExporterSettings& settings,
                   const std::shared_ptr<grpc::Channel>& channel, RetryClock& clock)
      : temporality_preference_(settings.temporality_preference),
        sender_(settings, channel, clock),
        worker_("OTLP", [this](const MetricsSnapshot& snapshot, const std::stop_token& stop) {
          return sender_.send(snapshot, stop);
        }) {}

  OtlpGrpcExporter(const OtlpGrpcExporter&) = delete;
  OtlpGrpcExporter& operator=(const OtlpGrpcExporter&) = delete;

  ~OtlpGrpcExporter() override { shutdown(destructor_shutdown_timeout_ms); }

  void export_async(std::shared_ptr<const MetricsSnapshot> snapshot, Completion done) override {
    if (!snapshot) {
      done({false, "OTLP export called without a snapshot"});
      return;
    }
    worker_.submit(std::move(snapshot), std::move(done));
  }

  [[nodiscard]] TemporalityPreference temporality_preference() const override {
    return temporality_preference_;
  }

  void shutdown(long timeout_ms) override {
    if (!worker_.shutdown(std::chrono::milliseconds(timeout_ms))) {
      core::log::error("otlp_exporter_shutdown_timeout", {{"timeout_ms", timeout_ms}});
    }
  }

 private:
  const TemporalityPreference temporality_preference_;
  OtlpSender sender_;    // used by worker_'s thread only
  ExportWorker worker_;  // after sender_: joined before it goes
};

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw std::runtime_error("OTLP exporter: cannot read certificate file \"" + path + "\"");
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

std::shared_ptr<grpc::ChannelCredentials> make_credentials(const OtlpExporterSettings& settings) {
  if (!settings.use_tls) {
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions options;
  if (!settings.certificate_file.empty()) {
    options.pem_root_certs = read_file(settings.certificate_file);
  }
  return grpc::SslCredentials(options);
}

}  // namespace

std::unique_ptr<MetricExporter> make_otlp_grpc_exporter(const OtlpExporterSettings& settings,
                                                        RetryClock& clock) {
  grpc::ChannelArguments arguments;
  arguments.SetUserAgentPrefix("latencylab-otlp-exporter");
  auto channel = grpc::CreateCustomChannel(settings.target, make_credentials(settings), arguments);
  return std::make_unique<OtlpGrpcExporter>(settings, channel, clock);
}

}  // namespace latencylab::telemetry::otlp
