// The JSON text of the built-in scenarios (config/scenarios/*.json), embedded at build time by
// src/loadgen/CMakeLists.txt so the repository files stay the single source.
//
//   for (const auto& s : builtin_scenarios()) std::cout << s.name << '\n';
#pragma once

#include <span>
#include <string_view>

namespace latencylab::loadgen {

struct BuiltinScenario {
  std::string_view name;
  std::string_view json;
};

[[nodiscard]] std::span<const BuiltinScenario> builtin_scenarios() noexcept;

}  // namespace latencylab::loadgen
