// The fully validated description of one `latencylab load` run, shared read-only by every io
// thread. Built by run_plan_builder.cpp from flags and the scenario; consumed by LoadEngine.
//
//   RunPlan plan = ...;                      // see build_run_plan()
//   LoadEngine engine(plan, /*thread_index=*/0, mailbox);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loadgen/arrival_schedule.hpp"
#include "loadgen/connection_ramp.hpp"
#include "loadgen/duration_text.hpp"
#include "loadgen/request_mix.hpp"
#include "loadgen/target_url.hpp"

namespace latencylab::loadgen {

enum class LoadModel { open, closed };

struct TargetPlan {
  std::string name;
  std::string url;  // as reported: the URL loaded, or the base of a scenario's paths
  TargetAddress address;
  RequestMix mix;
  std::optional<ArrivalSchedule> schedule;  // open model only
};

struct RunPlan {
  LoadModel model = LoadModel::open;
  std::string scenario_name;  // "" when URL targets are loaded as written
  std::vector<TargetPlan> targets;
  Nanos duration{10'000'000'000};
  Nanos warmup{0};
  Nanos timeout{10'000'000'000};
  Nanos think_time{0};                                        // closed model
  Nanos late_after{10'000'000};                               // open model
  ConnectionRamp connections = ConnectionRamp::constant(10);  // closed model, per target, over
                                                              // all threads
  std::size_t max_in_flight = 1024;   // open model, per target, over all threads
  std::size_t max_backlog = 100'000;  // open model, per target, over all threads
  std::uint64_t max_requests = 0;     // 0: no cap besides the duration
  unsigned threads = 1;
  unsigned source_addresses = 1;  // spread IPv4 loopback connections over 127.0.0.1..N
  bool connection_per_request = false;
  std::uint64_t seed = 1;
};

// The share of `total` that thread `index` of `count` takes (the first threads take the remainder).
[[nodiscard]] constexpr std::uint64_t thread_share(std::uint64_t total, unsigned index,
                                                   unsigned count) noexcept {
  return total / count + (index < total % count ? 1 : 0);
}

}  // namespace latencylab::loadgen
