// The OpenTelemetry Resource of this process: who is reporting the metrics.
//
// Precedence, lowest to highest: SDK defaults and detected values (service.name="latencylab",
// service.version, service.instance.id = a random UUID per process, host.name, process.pid),
// then OTEL_RESOURCE_ATTRIBUTES (e.g. deployment.environment.name=dev), then OTEL_SERVICE_NAME.
// telemetry.sdk.{name,language,version} always describe this SDK and cannot be overridden.
//
//   AttributeList resource = make_resource(settings, current_process_identity());
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "telemetry/metric_data.hpp"
#include "telemetry/sdk_settings.hpp"
#include "telemetry/sdk_version.hpp"

namespace latencylab::telemetry {

inline constexpr std::string_view kDefaultServiceName = "latencylab";

// What the process detects about itself; a value type so tests can pass a fixed identity.
struct ProcessIdentity {
  std::string host_name;
  std::int64_t pid = 0;
  std::string instance_id;  // service.instance.id
};

// gethostname(), getpid() and a fresh random (version 4) UUID from Boost.Uuid.
[[nodiscard]] ProcessIdentity current_process_identity();

// Sorted by key (an AttributeList); every value is a string except process.pid.
// `default_service_name` is the service.name when neither variable sets one.
[[nodiscard]] AttributeList make_resource(
    const SdkSettings& settings, const ProcessIdentity& identity,
    std::string_view service_version = sdk_version(),
    std::string_view default_service_name = kDefaultServiceName);

}  // namespace latencylab::telemetry
