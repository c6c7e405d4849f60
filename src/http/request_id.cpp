#include "http/request_id.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace latencylab::http {

RequestIdGenerator::RequestIdGenerator(std::uint64_t seed) noexcept
    : prefix_(static_cast<std::uint32_t>(seed ^ (seed >> 32))) {}

bool RequestIdGenerator::acceptable(std::string_view client_id) noexcept {
  return !client_id.empty() && client_id.size() <= 128 &&
         std::all_of(client_id.begin(), client_id.end(),
                     [](char c) { return c > ' ' && c < 0x7f; });
}

std::string RequestIdGenerator::resolve(std::string_view client_id) {
  if (acceptable(client_id)) return std::string(client_id);
  std::array<char, 32> buffer{};
  const int n = std::snprintf(buffer.data(), buffer.size(), "%08x-%012llx", prefix_,
                              static_cast<unsigned long long>(++sequence_));
  return std::string(buffer.data(), static_cast<std::size_t>(n));
}

}  // namespace latencylab::http
