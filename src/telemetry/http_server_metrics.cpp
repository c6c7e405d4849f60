#include "telemetry/http_server_metrics.hpp"

#include <stdexcept>
#include <string>

#include "telemetry/histogram_buckets.hpp"

namespace latencylab::telemetry {

HttpServerMetrics::HttpServerMetrics() noexcept : clock_(&steady_now) {}

HttpServerMetrics::HttpServerMetrics(Meter& meter, std::vector<std::string> route_templates,
                                     std::string url_scheme, SteadyClock clock)
    : routes_(std::move(route_templates)),
      scheme_(std::move(url_scheme)),
      clock_(clock),
      instruments_(Instruments{
          meter.create_histogram(
              {"http.server.request.duration", "Duration of HTTP server requests.", "s"},
              {kSecondsBuckets.begin(), kSecondsBuckets.end()}),
          meter.create_histogram(
              {"http.server.request.body.size", "Size of HTTP server request bodies.", "By"},
              {kByteSizeBuckets.begin(), kByteSizeBuckets.end()}),
          meter.create_histogram(
              {"http.server.response.body.size", "Size of HTTP server response bodies.", "By"},
              {kByteSizeBuckets.begin(), kByteSizeBuckets.end()}),
          meter.create_up_down_counter<std::int64_t>({"http.server.active_requests",
                                                      "Number of active HTTP server requests.",
                                                      "{request}"})}),
      tables_((routes_.size() + 1) * kHttpProtocolVersionCount * kHttpMethodCount) {
  // Slots are 16-bit; a route table this large is a configuration error, not a runtime one.
  if (routes_.size() >= 0xFFFF) throw std::invalid_argument("too many route templates");
  (void)clock_();  // a clock with one-time setup (fast_steady_now calibrates) does it now
}

HttpServerMetrics::~HttpServerMetrics() = default;

void HttpServerMetrics::request_started(HttpMethod method) noexcept {
  if (const auto* active = active_requests(method)) active->add(1);
}

void HttpServerMetrics::request_finished(const FinishedRequest& request) noexcept {
  if (const auto* active = active_requests(request.method)) active->add(-1);
  const auto route_slot = request.route_index < routes_.size()
                              ? static_cast<std::uint16_t>(request.route_index + 1)
                              : std::uint16_t{0};
  const std::uint16_t status = status_slot(request.status_code);
  const RequestSeries* found =
      request.cause == FailureCause::none || status == kNoResponseSlot
          ? series(route_slot, request.version, request.method, status)
          : caused_series(route_slot, request.version, request.method, status, request.cause);
  if (found == nullptr) return;
  found->duration.record(std::chrono::duration<double>(request.duration).count());
  found->request_body_size.record(static_cast<double>(request.request_body_bytes));
  if (found->response_body_size) {
    found->response_body_size->record(static_cast<double>(request.response_body_bytes));
  }
}

AttributeList HttpServerMetrics::request_attributes(std::uint16_t route_slot,
                                                    HttpProtocolVersion version, HttpMethod method,
                                                    std::uint16_t status_slot,
                                                    FailureCause cause) const {
  AttributeList attributes;
  attributes.reserve(6);
  attributes.push_back({"http.request.method", std::string(http_method_name(method))});
  attributes.push_back({"url.scheme", scheme_});
  attributes.push_back(
      {"network.protocol.version", std::string(http_protocol_version_name(version))});
  if (route_slot != 0) attributes.push_back({"http.route", routes_[route_slot - 1]});
  if (status_slot == kNoResponseSlot) {
    attributes.push_back({"error.type", std::string(kErrorTypeResponseNotSent)});
  } else if (status_slot == kInvalidStatusSlot) {
    attributes.push_back({"error.type", std::string("_OTHER")});
  } else {
    const auto status = static_cast<std::int64_t>(status_slot + kFirstStatus);
    attributes.push_back({"http.response.status_code", status});
    if (cause != FailureCause::none) {
      attributes.push_back({"error.type", std::string(failure_cause_name(cause))});
    } else if (status >= 500) {
      attributes.push_back({"error.type", std::to_string(status)});
    }
  }
  return make_attributes(std::move(attributes));
}

const HttpServerMetrics::RequestSeries* HttpServerMetrics::caused_series(
    std::uint16_t route_slot, HttpProtocolVersion version, HttpMethod method,
    std::uint16_t status_slot, FailureCause cause) noexcept {
  if (const StatusTable* table = tables_[table_index(route_slot, version, method)].get()) {
    for (const CausedSeries& caused : table->by_cause) {
      if (caused.status_slot == status_slot && caused.cause == cause) return caused.series;
    }
  }
  return resolve(route_slot, version, method, status_slot, cause);
}

const HttpServerMetrics::RequestSeries* HttpServerMetrics::resolve(std::uint16_t route_slot,
                                                                   HttpProtocolVersion version,
                                                                   HttpMethod method,
                                                                   std::uint16_t status_slot,
                                                                   FailureCause cause) noexcept {
  // The guard's destructor is noexcept: a failure here (only bad_alloc is possible) loses one
  // recording rather than terminating the server.
  try {
    auto& table = tables_[table_index(route_slot, version, method)];
    if (!table) table = std::make_unique<StatusTable>();
    const AttributeList attributes =
        request_attributes(route_slot, version, method, status_slot, cause);
    std::optional<BoundHistogram> response_body_size;
    if (status_slot != kNoResponseSlot) {
      response_body_size = instruments_->response_body_size.bind(attributes);
    }
    resolved_.push_back(RequestSeries{instruments_->duration.bind(attributes),
                                      instruments_->request_body_size.bind(attributes),
                                      response_body_size});
    const RequestSeries& series = resolved_.back();
    if (cause == FailureCause::none) {
      table->by_status[status_slot] = &series;
    } else {
      table->by_cause.push_back({status_slot, cause, &series});
    }
    return &series;
  } catch (const std::exception&) {
    return nullptr;
  }
}

const BoundUpDownCounter<std::int64_t>* HttpServerMetrics::resolve_active(
    HttpMethod method) noexcept {
  try {
    auto& bound = active_by_method_[static_cast<std::size_t>(method)];
    bound = instruments_->active_requests.bind(
        {{"http.request.method", std::string(http_method_name(method))}, {"url.scheme", scheme_}});
    return &*bound;
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace latencylab::telemetry
