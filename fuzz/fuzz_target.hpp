// What every fuzz target in fuzz/ shares: the libFuzzer entry point and the invariant check.
//
// Each <name>_fuzzer.cpp defines LLVMFuzzerTestOneInput; libFuzzer drives it in the `fuzz` preset,
// and corpus_replay_test.cpp calls it for every file of fuzz/corpus/<name>/ in ordinary test
// builds.
//
//   extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
//     auto parsed = parse(latencylab::fuzz::as_text(data, size));
//     latencylab::fuzz::require(parsed || !error.empty(), "a rejection names its problem");
//     return 0;
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace latencylab::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) noexcept {
  return {reinterpret_cast<const char*>(data), size};
}

// A broken invariant is a finding: abort, so libFuzzer saves the input and a replay test fails.
inline void require(bool holds, const char* invariant) noexcept {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", invariant);
  std::abort();
}

}  // namespace latencylab::fuzz
