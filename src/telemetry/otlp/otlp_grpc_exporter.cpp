#include "telemetry/otlp/otlp_grpc_exporter.hpp"

#include <google/protobuf/arena.h>
#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

#include "core/log.hpp"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "telemetry/otlp/otlp_encoder.hpp"

namespace latencylab::telemetry::otlp {
namespace {

namespace collector = opentelemetry::proto::collector::metrics::v1;
using Clock = std::chrono::steady_clock;

// Bounds shutdown when the exporter is destroyed without an explicit shutdown() call.
constexpr long destructor_shutdown_timeout_ms = 2000;

struct ExportJob {
  std::shared_ptr<const MetricsSnapshot> snapshot;
  MetricExporter::Completion done;
};

std::string describe(const grpc::Status& status) {
  std::string text(status_code_name(status.error_code()));
  if (!status.error_message().empty()) {
    text.append(": ").append(status.error_message());
  }
  return text;
}

// The worker thread's state, shared (through shared_ptr) by the exporter facade and the worker
// thread, so a worker that outlives a timed-out shutdown() still owns valid memory. gRPC
// callbacks hold no reference (see call_once).
class ExportWorker {
 public:
  ExportWorker(OtlpExporterSettings settings, const std::shared_ptr<grpc::Channel>& channel)
      : settings_(std::move(settings)),
        stub_(collector::MetricsService::NewStub(channel)),
        jitter_rng_(std::random_device{}()) {}

  // Called on the caller's thread. Takes the job unless one is already queued or running, or the
  // worker is stopping; returns the refusal reason otherwise (the job is then left untouched).
  std::optional<std::string_view> try_submit(ExportJob& job) {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return "OTLP exporter is shut down";
    }
    if (busy_) {
      return "previous OTLP export still in progress";
    }
    busy_ = true;
    pending_ = std::move(job.snapshot);
    completion_ = std::move(job.done);
    cv_.notify_all();
    return std::nullopt;
  }

  void request_stop() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cv_.notify_all();
  }

  // Called by the owner when shutdown() gave up waiting: the completion of the export still
  // running is destroyed here, on the owner's thread, and will never be invoked, because what it
  // touches (the reader's io_context) may be gone by the time that export ends. Waits for a
  // completion being invoked at this moment to return.
  void abandon() {
    MetricExporter::Completion dropped;
    {
      std::unique_lock lock(mutex_);
      dropped = std::exchange(completion_, nullptr);
      cv_.wait(lock, [this] { return !delivering_; });
    }
  }

  // True when the worker loop has returned by `deadline`.
  bool wait_exited(Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return cv_.wait_until(lock, deadline, [this] { return exited_; });
  }

  // The worker thread's body: one export at a time until stopped.
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      cv_.wait(lock, [this] { return stopping_ || pending_ != nullptr; });
      if (!pending_) {
        break;
      }
      std::shared_ptr<const MetricsSnapshot> snapshot = std::exchange(pending_, nullptr);
      lock.unlock();

      ExportResult result = export_with_retries(*snapshot);
      snapshot.reset();  // released before the completion so the reader may build the next one
      lock.lock();
      busy_ = false;
      MetricExporter::Completion done = std::exchange(completion_, nullptr);
      if (!done) {
        continue;  // abandoned by a timed-out shutdown()
      }
      // Invoked unlocked (a completion may submit the next export), but abandon() waits for it.
      delivering_ = true;
      lock.unlock();
      done(std::move(result));
      done = nullptr;
      lock.lock();
      delivering_ = false;
      cv_.notify_all();
    }
    exited_ = true;
    cv_.notify_all();
  }

 private:
  ExportResult export_with_retries(const MetricsSnapshot& snapshot) {
    // Everything of the previous request goes at once; the new one is built in the same arena.
    arena_.Reset();
    request_ =
        google::protobuf::Arena::CreateMessage<collector::ExportMetricsServiceRequest>(&arena_);
    encode_export_request(snapshot, *request_);
    const Clock::time_point deadline = Clock::now() + settings_.timeout;
    for (int attempt = 1;; ++attempt) {
      const grpc::Status status = call_once(deadline);
      if (status.ok()) {
        log_partial_success();
        return {true, {}};
      }
      if (is_stopping()) {
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
      const Clock::time_point retry_at = Clock::now() + delay;
      if (retry_at >= deadline) {
        return {false, reason + " (no time left for a retry within the " +
                           std::to_string(settings_.timeout.count()) + " ms export timeout)"};
      }
      log::debug("otlp_export_retry", {{"attempt", attempt},
                                       {"code", status_code_name(status.error_code())},
                                       {"delay_ms", delay.count()},
                                       {"server_delay", verdict.server_delay.has_value()}});
      if (!wait_until_or_stopped(retry_at)) {
        return {false, "OTLP export cancelled by shutdown while waiting to retry: " + reason};
      }
    }
  }

  // One Export call on the callback API; this thread waits on cv_ for its completion (or for a
  // stop request, then cancels the call and still waits for the completion, which gRPC delivers
  // promptly after TryCancel()).
  grpc::Status call_once(Clock::time_point deadline) {
    grpc::ClientContext context;
    // grpc++ takes system_clock deadlines only; translate the remaining steady time.
    context.set_deadline(std::chrono::system_clock::now() + (deadline - Clock::now()));
    for (const auto& [key, value] : settings_.headers) {
      context.AddMetadata(key, value);
    }
    if (settings_.compression == OtlpCompression::gzip) {
      context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    }
    response_.Clear();
    {
      std::lock_guard lock(mutex_);
      if (stopping_) {
        return {grpc::StatusCode::CANCELLED, "exporter shutting down"};
      }
      call_done_ = false;
    }
    // The callback captures a plain `this`, never a shared_ptr: this thread waits for the
    // callback before leaving, and the last reference to the channel must not be dropped on a
    // gRPC callback thread (grpc++ 1.51 would then destroy its callback completion queue from
    // inside itself, a double free caught by ASan).
    stub_->async()->Export(&context, request_, &response_, [this](grpc::Status status) {
      // Notify under the lock: the worker may destroy `context` as soon as it sees call_done_.
      std::lock_guard lock(mutex_);
      call_status_ = std::move(status);
      call_done_ = true;
      cv_.notify_all();
    });
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return call_done_ || stopping_; });
    if (!call_done_) {
      // Unlocked: gRPC may run the completion callback (which locks mutex_) inside TryCancel().
      lock.unlock();
      context.TryCancel();
      lock.lock();
      cv_.wait(lock, [this] { return call_done_; });
    }
    return std::move(call_status_);
  }

  bool wait_until_or_stopped(Clock::time_point until) {
    std::unique_lock lock(mutex_);
    return !cv_.wait_until(lock, until, [this] { return stopping_; });
  }

  bool is_stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
  }

  // The spec: a partial success is not retried; the data it rejected is logged as dropped.
  void log_partial_success() const {
    if (!response_.has_partial_success()) {
      return;
    }
    const auto& partial = response_.partial_success();
    if (partial.rejected_data_points() > 0 || !partial.error_message().empty()) {
      log::warn("otlp_export_partial_success",
                {{"rejected_data_points", partial.rejected_data_points()},
                 {"error_message", partial.error_message()}});
    }
  }

  const OtlpExporterSettings settings_;
  const std::unique_ptr<collector::MetricsService::Stub> stub_;

  // Owned by the worker thread (gRPC reads *request_ and writes response_ only during a call the
  // worker is waiting on). The request lives on arena_, reset per export: encoding is ~3x
  // cheaper than with heap-allocated sub-messages (bench/otlp_encoder_benchmark.cpp) and memory
  // stays bounded by the largest snapshot.
  google::protobuf::Arena arena_;
  collector::ExportMetricsServiceRequest* request_ = nullptr;
  collector::ExportMetricsServiceResponse response_;
  std::mt19937_64 jitter_rng_;

  // Guarded by mutex_; cv_ signals every change.
  std::mutex mutex_;
  std::condition_variable cv_;
  std::shared_ptr<const MetricsSnapshot> pending_;  // submitted, not yet taken by the worker
  MetricExporter::Completion completion_;  // of the export queued or running; empty once abandoned
  bool busy_ = false;        // an export is queued or running: at most one snapshot held
  bool delivering_ = false;  // the worker is invoking a completion
  bool stopping_ = false;
  bool exited_ = false;
  bool call_done_ = false;
  grpc::Status call_status_;
};

class OtlpGrpcExporter final : public MetricExporter {
 public:
  OtlpGrpcExporter(const OtlpExporterSettings& settings,
                   const std::shared_ptr<grpc::Channel>& channel)
      : temporality_preference_(settings.temporality_preference),
        worker_(std::make_shared<ExportWorker>(settings, channel)),
        worker_thread_([worker = worker_] { worker->run(); }) {}

  OtlpGrpcExporter(const OtlpGrpcExporter&) = delete;
  OtlpGrpcExporter& operator=(const OtlpGrpcExporter&) = delete;

  ~OtlpGrpcExporter() override { shutdown(destructor_shutdown_timeout_ms); }

  void export_async(std::shared_ptr<const MetricsSnapshot> snapshot, Completion done) override {
    if (!snapshot) {
      done({false, "OTLP export called without a snapshot"});
      return;
    }
    ExportJob job{std::move(snapshot), std::move(done)};
    if (const auto refusal = worker_->try_submit(job)) {
      job.done({false, std::string(*refusal)});
    }
  }

  [[nodiscard]] TemporalityPreference temporality_preference() const override {
    return temporality_preference_;
  }

  void shutdown(long timeout_ms) override {
    if (!worker_thread_.joinable()) {
      return;
    }
    worker_->request_stop();
    if (worker_->wait_exited(Clock::now() + std::chrono::milliseconds(timeout_ms))) {
      worker_thread_.join();
      return;
    }
    // The worker owns its state through a shared_ptr, so letting it finish alone is safe once
    // it can no longer call back into the caller.
    log::error("otlp_exporter_shutdown_timeout", {{"timeout_ms", timeout_ms}});
    worker_->abandon();
    worker_thread_.detach();
  }

 private:
  const TemporalityPreference temporality_preference_;
  const std::shared_ptr<ExportWorker> worker_;
  std::thread worker_thread_;  // touched only by the owner's thread (constructor, shutdown)
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

std::unique_ptr<MetricExporter> make_otlp_grpc_exporter(const OtlpExporterSettings& settings) {
  grpc::ChannelArguments arguments;
  arguments.SetUserAgentPrefix("latencylab-otlp-exporter");
  auto channel = grpc::CreateCustomChannel(settings.target, make_credentials(settings), arguments);
  return std::make_unique<OtlpGrpcExporter>(settings, channel);
}

}  // namespace latencylab::telemetry::otlp
