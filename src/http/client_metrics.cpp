#include "http/client_metrics.hpp"

#include <array>
#include <exception>

#include "telemetry/histogram_buckets.hpp"

namespace latencylab::http {

ClientMetrics::ClientMetrics() noexcept = default;

ClientMetrics::ClientMetrics(telemetry::Meter& meter)
    : instruments_(Instruments{
          meter.create_histogram(
              {"http.client.request.duration", "Duration of HTTP client requests.", "s"},
              {telemetry::kSecondsBuckets.begin(), telemetry::kSecondsBuckets.end()}),
          meter.create_up_down_counter<std::int64_t>(
              {"http.client.open_connections",
               "Number of outbound HTTP connections that are currently active or idle on the "
               "client.",
               "{connection}"})}) {}

PeerMetrics::PeerMetrics(ClientMetrics& metrics, std::string address, std::uint16_t port)
    : metrics_(metrics), address_(std::move(address)), port_(port) {
  if (!metrics_.enabled()) return;
  const auto bind_state = [&](std::string_view state) {
    return metrics_.instruments_->open_connections.bind(
        {{"http.connection.state", std::string(state)},
         {"server.address", address_},
         {"server.port", port_}});
  };
  active_ = bind_state("active");
  idle_ = bind_state("idle");
}

PeerMetrics::~PeerMetrics() = default;

void PeerMetrics::record(telemetry::HttpMethod method, ClientOutcome outcome,
                         std::chrono::steady_clock::duration duration) noexcept {
  if (!metrics_.enabled()) return;
  const telemetry::BoundHistogram* series = nullptr;
  if (const OutcomeTable* table = tables_[static_cast<std::size_t>(method)].get()) {
    if (const auto& found = table->by_outcome[outcome.slot_]) series = &*found;
  }
  if (series == nullptr) series = resolve(method, outcome);
  if (series != nullptr) series->record(std::chrono::duration<double>(duration).count());
}

const telemetry::BoundHistogram* PeerMetrics::resolve(telemetry::HttpMethod method,
                                                      ClientOutcome outcome) noexcept {
  // record() is noexcept: a failure here (only bad_alloc is possible) loses one recording.
  try {
    auto& table = tables_[static_cast<std::size_t>(method)];
    if (!table) table = std::make_unique<OutcomeTable>();
    telemetry::AttributeList attributes{
        {"http.request.method", std::string(telemetry::http_method_name(method))},
        {"server.address", address_},
        {"server.port", port_}};
    if (outcome.slot_ >= ClientOutcome::kFirstErrorSlot) {
      const auto error = static_cast<ClientError>(outcome.slot_ - ClientOutcome::kFirstErrorSlot);
      attributes.push_back({"error.type", std::string(client_error_name(error))});
    } else if (outcome.slot_ == ClientOutcome::kInvalidStatusSlot) {
      attributes.push_back({"error.type", std::string("_OTHER")});
    } else {
      const auto status = static_cast<std::int64_t>(outcome.slot_ + ClientOutcome::kFirstStatus);
      attributes.push_back({"http.response.status_code", status});
      if (status >= 400) attributes.push_back({"error.type", std::to_string(status)});
    }
    auto& series = table->by_outcome[outcome.slot_];
    series = metrics_.instruments_->duration.bind(std::move(attributes));
    return &*series;
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace latencylab::http
