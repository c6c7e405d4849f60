// HTTP request method and protocol version as the telemetry layer sees them, without any HTTP
// library: the http layer maps its parser's values onto these once per request (http/session.cpp).
//
// Method values follow the HTTP semantic conventions: the nine RFC 9110/5789 methods by name, any
// other method becomes `_OTHER` (it would otherwise be an unbounded attribute value).
//
//   std::string_view name = http_method_name(HttpMethod::get);  // "GET"
//   HttpProtocolVersion v = http_protocol_version_from_number(11);  // "1.1"
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace latencylab::telemetry {

enum class HttpMethod : std::uint8_t {
  get,
  head,
  post,
  put,
  delete_,
  connect,
  options,
  trace,
  patch,
  other,  // reported as "_OTHER"
};
inline constexpr std::size_t kHttpMethodCount = 10;

[[nodiscard]] std::string_view http_method_name(HttpMethod method) noexcept;

// network.protocol.version values the server can speak.
enum class HttpProtocolVersion : std::uint8_t { http_1_0, http_1_1 };
inline constexpr std::size_t kHttpProtocolVersionCount = 2;

// Beast-style numbers (10, 11); anything but 10 is treated as 1.1.
[[nodiscard]] constexpr HttpProtocolVersion http_protocol_version_from_number(
    unsigned version) noexcept {
  return version == 10 ? HttpProtocolVersion::http_1_0 : HttpProtocolVersion::http_1_1;
}
[[nodiscard]] std::string_view http_protocol_version_name(HttpProtocolVersion version) noexcept;

}  // namespace latencylab::telemetry
