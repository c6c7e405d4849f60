// Raises the process's soft RLIMIT_NOFILE: every connection is a descriptor, and the default soft
// limit (often 1024) would cap a server's saturation run or the load generator's connections long
// before the machine does. One function for both: `serve` asks for as much as the hard limit
// allows, `load` for what its plan needs.
//
//   const std::uint64_t limit = latencylab::core::raise_open_file_limit();  // e.g. 1048576
//   if (latencylab::core::raise_open_file_limit(needed_fds) < needed_fds) { /* refuse the run */ }
#pragma once

#include <cstdint>
#include <limits>

namespace latencylab::core {

// Raises the soft limit to `wanted`, capped at the hard limit (the default: as high as the hard
// limit allows; an unlimited hard limit is still capped by the kernel's fs.nr_open, and a refused
// raise keeps the old limit). Never lowers it. Returns the soft limit in force afterwards, 0 when
// it cannot be read.
[[nodiscard]] std::uint64_t raise_open_file_limit(
    std::uint64_t wanted = std::numeric_limits<std::uint64_t>::max()) noexcept;

}  // namespace latencylab::core
