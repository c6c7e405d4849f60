#include "fake_collector.hpp"

#include <stdexcept>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace latencylab::telemetry::otlp::testing {

namespace collector = opentelemetry::proto::collector::metrics::v1;

class FakeCollector::Service final : public collector::MetricsService::Service {
 public:
  explicit Service(FakeCollector& owner) : owner_(owner) {}

  grpc::Status Export(grpc::ServerContext* context,
                      const collector::ExportMetricsServiceRequest* request,
                      collector::ExportMetricsServiceResponse* response) override {
    ReceivedCall call{*request, {}, std::chrono::steady_clock::now()};
    for (const auto& [key, value] : context->client_metadata()) {
      call.metadata.emplace(std::string(key.data(), key.size()),
                            std::string(value.data(), value.size()));
    }
    ScriptedReply reply;
    {
      std::unique_lock lock(owner_.mutex_);
      owner_.calls_.push_back(std::move(call));
      if (!owner_.script_.empty()) {
        reply = std::move(owner_.script_.front());
        owner_.script_.pop_front();
      }
      owner_.changed_.notify_all();
      // A stalled reply ends early when the client gives up (deadline, cancel), on
      // release_stalls() or on stop().
      const auto until = std::chrono::steady_clock::now() + reply.stall;
      const std::uint64_t releases_before = owner_.stall_releases_;
      while (std::chrono::steady_clock::now() < until && !owner_.stopping_ &&
             owner_.stall_releases_ == releases_before && !context->IsCancelled()) {
        owner_.changed_.wait_for(lock, std::chrono::milliseconds(5));
      }
    }
    if (reply.code != grpc::StatusCode::OK) {
      return error_status(reply);
    }
    if (reply.rejected_data_points != 0 || !reply.partial_success_message.empty()) {
      response->mutable_partial_success()->set_rejected_data_points(reply.rejected_data_points);
      response->mutable_partial_success()->set_error_message(reply.partial_success_message);
    }
    return grpc::Status::OK;
  }

 private:
  static grpc::Status error_status(const ScriptedReply& reply) {
    const std::string message = "scripted failure";
    if (!reply.retry_delay) {
      return {reply.code, message};
    }
    google::rpc::RetryInfo retry_info;
    const auto millis = reply.retry_delay->count();
    retry_info.mutable_retry_delay()->set_seconds(millis / 1000);
    retry_info.mutable_retry_delay()->set_nanos(static_cast<std::int32_t>(millis % 1000) *
                                                1'000'000);
    google::rpc::Status details;
    details.set_code(static_cast<std::int32_t>(reply.code));
    details.set_message(message);
    details.add_details()->PackFrom(retry_info);
    return {reply.code, message, details.SerializeAsString()};
  }

  FakeCollector& owner_;
};

FakeCollector::FakeCollector(Gzip gzip) : service_(std::make_unique<Service>(*this)) {
  grpc::ServerBuilder builder;
  if (gzip == Gzip::rejected) {
    builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_GZIP, false);
  }
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
  builder.RegisterService(service_.get());
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    throw std::runtime_error("fake collector: cannot listen on 127.0.0.1");
  }
}

FakeCollector::~FakeCollector() {
  stop();
}

std::string FakeCollector::target() const {
  return "127.0.0.1:" + std::to_string(port_);
}

void FakeCollector::script(std::vector<ScriptedReply> replies) {
  std::lock_guard lock(mutex_);
  script_.assign(std::make_move_iterator(replies.begin()), std::make_move_iterator(replies.end()));
}

std::vector<ReceivedCall> FakeCollector::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

bool FakeCollector::wait_for_calls(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return calls_.size() >= count; });
}

void FakeCollector::release_stalls() {
  std::lock_guard lock(mutex_);
  ++stall_releases_;
  changed_.notify_all();
}

void FakeCollector::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
    changed_.notify_all();
  }
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server_->Wait();
}

}  // namespace latencylab::telemetry::otlp::testing
