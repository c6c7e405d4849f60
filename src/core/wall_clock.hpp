// Wall-clock helpers: Unix-epoch nanoseconds for telemetry timestamps and RFC 3339 strings for
// response bodies and logs. Durations are never measured with these (use steady_clock).
//
//   std::string ts = latencylab::core::format_rfc3339(std::chrono::system_clock::now());
//   std::string body = "at ";
//   latencylab::core::append_rfc3339(body, std::chrono::system_clock::now());  // "at 2026-..."
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace latencylab::core {

std::uint64_t to_unix_nanos(std::chrono::system_clock::time_point t) noexcept;

// "2026-11-24T10:35:59.123Z": UTC, millisecond precision, for years 0000-9999.
inline constexpr std::size_t kRfc3339Size = 24;
std::string format_rfc3339(std::chrono::system_clock::time_point t);
// The same text appended to `out`.
void append_rfc3339(std::string& out, std::chrono::system_clock::time_point t);

}  // namespace latencylab::core
