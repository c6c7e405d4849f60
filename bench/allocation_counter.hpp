// Counts every allocation of a benchmark program through a replaced global operator new
// (allocation_counter.cpp, linked into the programs that report allocations per iteration).
//
//   const std::uint64_t before = latencylab::bench::allocations();
//   run_one_request();
//   const std::uint64_t per_request = latencylab::bench::allocations() - before;
#pragma once

#include <cstdint>

namespace latencylab::bench {

// Allocations so far in this process (all threads).
[[nodiscard]] std::uint64_t allocations() noexcept;

}  // namespace latencylab::bench
