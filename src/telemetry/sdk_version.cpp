#include "telemetry/sdk_version.hpp"

namespace latencylab::telemetry {

// LATENCYLAB_VERSION comes from project(VERSION) via src/telemetry/CMakeLists.txt.
std::string_view sdk_version() noexcept {
  return LATENCYLAB_VERSION;
}

}  // namespace latencylab::telemetry
