// Raises the soft RLIMIT_NOFILE to the hard limit: every connection is a descriptor, and the
// default soft limit (often 1024) would cap a saturation experiment long before the machine does.
//
//   const auto limit = latencylab::raise_open_file_limit();   // e.g. 20000
#pragma once

#include <cstdint>

namespace latencylab {

// Returns the soft limit in force afterwards.
std::uint64_t raise_open_file_limit() noexcept;

}  // namespace latencylab
