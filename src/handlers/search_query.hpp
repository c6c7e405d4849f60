// GET /api/search's query validation: pure, unit-tested without a socket.
//
//   core::Result<std::string> q = search_query("q=Wireless%20Mouse");  // "Wireless Mouse"
//   if (!q) { /* 400 with q.error().message, e.g. "query parameter q is required" */ }
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace latencylab::handlers {

inline constexpr std::size_t kMaxSearchQueryLength = 256;

// The percent-decoded value of `q` in a raw query string; an error naming `q` when it is missing,
// empty, too long or not decodable.
[[nodiscard]] core::Result<std::string> search_query(std::string_view raw_query);

}  // namespace latencylab::handlers
