#include "http/request_id.hpp"

#include <algorithm>

namespace latencylab::http {
namespace {

// Writes the low `digits` hex digits of `value`, most significant first (snprintf's "%0*x" costs
// ~800 instructions; this ~5 per digit).
char* put_hex(char* out, std::uint64_t value, int digits) noexcept {
  constexpr std::string_view kHex = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
    *out++ = kHex[(value >> shift) & 0xf];
  }
  return out;
}

}  // namespace

RequestIdGenerator::RequestIdGenerator(std::uint64_t seed) noexcept
    : prefix_(static_cast<std::uint32_t>(seed ^ (seed >> 32))) {}

bool RequestIdGenerator::acceptable(std::string_view client_id) noexcept {
  return !client_id.empty() && client_id.size() <= 128 &&
         std::all_of(client_id.begin(), client_id.end(),
                     [](char c) { return c > ' ' && c < 0x7f; });
}

RequestId RequestIdGenerator::resolve(std::string_view client_id) noexcept {
  RequestId id;
  if (acceptable(client_id)) {
    id.client_ = client_id;
    return id;
  }
  char* out = put_hex(id.generated_.data(), prefix_, 8);
  *out++ = '-';
  put_hex(out, ++sequence_, 12);
  return id;
}

}  // namespace latencylab::http
