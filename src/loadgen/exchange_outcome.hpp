// The result of one request/response exchange, as the statistics classify it.
//
//   ExchangeOutcome o{.error = ErrorKind::none, .status = 200};
//   std::string_view label = error_kind_name(ErrorKind::timeout);  // "timeout"
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace latencylab::loadgen {

// Every failed request has exactly one kind. A complete response whose status the endpoint does
// not expect (by default anything but 2xx and 3xx) is an error of kind `status`; its status is
// still counted. HttpConnection reports transport errors; the engine, which knows the endpoint,
// decides `status`.
enum class ErrorKind : std::uint8_t { none, connect, timeout, reset, protocol, status };

inline constexpr std::size_t kErrorKindCount = 6;

inline constexpr std::array<std::string_view, kErrorKindCount> kErrorKindNames{
    "none", "connect", "timeout", "reset", "protocol", "status"};

[[nodiscard]] constexpr std::string_view error_kind_name(ErrorKind kind) noexcept {
  return kErrorKindNames[static_cast<std::size_t>(kind)];
}

struct ExchangeOutcome {
  ErrorKind error = ErrorKind::none;
  unsigned status = 0;  // 0 when no complete response arrived
};

}  // namespace latencylab::loadgen
