#include "loadgen/load_metrics.hpp"

#include <algorithm>
#include <string>

#include "telemetry/http_method.hpp"

namespace latencylab::loadgen {
namespace {

telemetry::Attribute outcome(std::string_view value) {
  return {"latencylab.load.outcome", std::string(value)};
}

// http.request.method: the nine known methods by name, anything else "_OTHER" (semconv).
std::string semconv_method(const std::string& method) {
  for (std::size_t i = 0; i < telemetry::kHttpMethodCount; ++i) {
    const auto name = telemetry::http_method_name(static_cast<telemetry::HttpMethod>(i));
    if (name == method) return std::string(name);
  }
  return std::string(telemetry::http_method_name(telemetry::HttpMethod::other));
}

telemetry::AttributeList with(telemetry::AttributeList attributes,
                              std::initializer_list<telemetry::Attribute> more) {
  attributes.insert(attributes.end(), more);
  return attributes;
}

double seconds(Nanos value) noexcept {
  return static_cast<double>(std::max<Nanos::rep>(value.count(), 0)) / 1e9;
}

}  // namespace

LoadMetrics::LoadMetrics(telemetry::Meter& meter, const RunPlan& plan)
    : service_time_(meter.create_histogram(
          {"http.client.request.duration",
           "Duration of HTTP client requests, from the actual send (service time)", "s"})),
      latency_(meter.create_histogram(
          {"latencylab.load.request.duration",
           "Duration of load requests from their intended send time (coordinated omission "
           "corrected)",
           "s"})),
      requests_(meter.create_counter<std::int64_t>(
          {"latencylab.load.requests", "Load requests by outcome", "{request}"})) {
  for (const TargetPlan& target : plan.targets) {
    const telemetry::AttributeList target_attributes{{"latencylab.load.target", target.name}};
    TargetSeries series{requests_.bind(with(target_attributes, {outcome("dropped")})), {}};
    const RequestMix& mix = target.mix;
    for (std::size_t e = 0; e < mix.endpoint_count(); ++e) {
      auto outcome_attributes =
          with(target_attributes, {{"latencylab.load.endpoint", mix.endpoint_name(e)}});
      auto request_attributes =
          with(outcome_attributes,
               {{"http.request.method", semconv_method(mix.endpoint_method(e))},
                {"server.address", target.address.host},
                {"server.port", static_cast<std::int64_t>(target.address.endpoint.port())}});
      EndpointSeries endpoint{std::move(request_attributes),
                              requests_.bind(with(outcome_attributes, {outcome("sent")})),
                              requests_.bind(with(outcome_attributes, {outcome("late")})),
                              {},
                              {},
                              {}};
      for (std::size_t kind = 1; kind < kErrorKindCount; ++kind) {
        endpoint.errors[kind] = requests_.bind(
            with(outcome_attributes,
                 {outcome("error"), {"error.type", std::string(kErrorKindNames[kind])}}));
      }
      // The duration series the run is expected to produce (see the banner).
      for (const ErrorKind kind :
           {ErrorKind::connect, ErrorKind::timeout, ErrorKind::reset, ErrorKind::protocol}) {
        endpoint.no_response[static_cast<std::size_t>(kind)] = bind_durations(endpoint, 0, kind);
      }
      const bool listed = mix.lists_expected_statuses(e);
      for (unsigned status = 100; status < kStatusCodes; ++status) {
        if (listed ? mix.expects(e, status) : status == 200) {
          endpoint.by_status[status] = bind_durations(endpoint, status, ErrorKind::none);
        }
      }
      series.endpoints.push_back(std::move(endpoint));
    }
    targets_.push_back(std::move(series));
  }
}

const LoadMetrics::DurationSeries* LoadMetrics::bind_durations(EndpointSeries& endpoint,
                                                               unsigned status,
                                                               ErrorKind kind) noexcept {
  try {
    telemetry::AttributeList attributes = endpoint.request_attributes;
    if (status != 0) {
      attributes.push_back({"http.response.status_code", static_cast<std::int64_t>(status)});
      // Semconv: a client sets error.type to the status code when the status is >= 400.
      if (status >= 400) attributes.push_back({"error.type", std::to_string(status)});
    } else {
      attributes.push_back({"error.type", std::string(error_kind_name(kind))});
    }
    bound_.push_back({service_time_.bind(attributes), latency_.bind(attributes)});
    return &bound_.back();
  } catch (const std::exception&) {
    return nullptr;
  }
}

void LoadMetrics::sent(std::size_t target, std::size_t endpoint, bool late) noexcept {
  EndpointSeries& series = targets_[target].endpoints[endpoint];
  series.sent.add(1);
  if (late) series.late.add(1);
}

void LoadMetrics::dropped(std::size_t target, std::uint64_t count) noexcept {
  targets_[target].dropped.add(static_cast<std::int64_t>(count));
}

void LoadMetrics::finished(std::size_t target, std::size_t endpoint_index,
                           const ExchangeOutcome& outcome, Nanos service_time,
                           Nanos latency) noexcept {
  EndpointSeries& endpoint = targets_[target].endpoints[endpoint_index];
  const auto kind = static_cast<std::size_t>(outcome.error);
  if (outcome.error != ErrorKind::none) endpoint.errors[kind]->add(1);
  const DurationSeries* series = nullptr;
  if (outcome.status >= 100 && outcome.status < kStatusCodes) {
    series = endpoint.by_status[outcome.status];
    if (series == nullptr) {
      series = bind_durations(endpoint, outcome.status, ErrorKind::none);
      endpoint.by_status[outcome.status] = series;
    }
  } else {
    // No (valid) response: a transport error, or a status line outside 100..599.
    const ErrorKind no_response =
        outcome.error == ErrorKind::none || outcome.error == ErrorKind::status ? ErrorKind::protocol
                                                                               : outcome.error;
    series = endpoint.no_response[static_cast<std::size_t>(no_response)];
  }
  if (series == nullptr) return;
  series->service_time.record(seconds(service_time));
  series->latency.record(seconds(latency));
}

}  // namespace latencylab::loadgen
