#include "telemetry/http_method.hpp"

#include <array>

namespace latencylab::telemetry {
namespace {

constexpr std::array<std::string_view, kHttpMethodCount> kMethodNames = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "_OTHER"};

}  // namespace

std::string_view http_method_name(HttpMethod method) noexcept {
  const auto index = static_cast<std::size_t>(method);
  return index < kMethodNames.size() ? kMethodNames[index] : kMethodNames.back();
}

std::string_view http_protocol_version_name(HttpProtocolVersion version) noexcept {
  return version == HttpProtocolVersion::http_1_0 ? "1.0" : "1.1";
}

}  // namespace latencylab::telemetry
