// The version of this SDK (= the project version), reported as telemetry.sdk.version, the
// instrumentation scope version and the default service.version.
//
//   std::string_view v = sdk_version();  // "0.1.0"
#pragma once

#include <string_view>

namespace latencylab::telemetry {

[[nodiscard]] std::string_view sdk_version() noexcept;

}  // namespace latencylab::telemetry
