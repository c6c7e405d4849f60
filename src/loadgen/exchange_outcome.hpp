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

// Every failed request has exactly one kind. A complete response with a 5xx status is an error of
// kind status_5xx (its status is still counted); 4xx responses are answers, not errors.
enum class ErrorKind : std::uint8_t { none, connect, timeout, reset, protocol, status_5xx };

inline constexpr std::size_t kErrorKindCount = 6;

inline constexpr std::array<std::string_view, kErrorKindCount> kErrorKindNames{
    "none", "connect", "timeout", "reset", "protocol", "5xx"};

[[nodiscard]] constexpr std::string_view error_kind_name(ErrorKind kind) noexcept {
  return kErrorKindNames[static_cast<std::size_t>(kind)];
}

struct ExchangeOutcome {
  ErrorKind error = ErrorKind::none;
  unsigned status = 0;  // 0 when no complete response arrived
};

}  // namespace latencylab::loadgen
