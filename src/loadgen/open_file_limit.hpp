// Raises the process's open-file soft limit (RLIMIT_NOFILE) so that thousands of load connections
// fit; the default soft limit is often 1024 while the hard limit is much higher.
//
//   std::uint64_t available = raise_open_file_limit(needed_fds);
//   if (available < needed_fds) { /* refuse: too many connections for this machine */ }
#pragma once

#include <cstdint>

namespace latencylab::loadgen {

// Raises the soft limit towards the hard limit, at least to `wanted` when allowed.
// Returns the soft limit in force afterwards.
[[nodiscard]] std::uint64_t raise_open_file_limit(std::uint64_t wanted) noexcept;

}  // namespace latencylab::loadgen
