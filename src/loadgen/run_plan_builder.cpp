#include "loadgen/run_plan_builder.hpp"

#include <algorithm>

#include "loadgen/scenario.hpp"

namespace latencylab::loadgen {
namespace {

constexpr Nanos kDefaultDuration{10'000'000'000};
constexpr Nanos kMaxDuration{24LL * 3600 * 1'000'000'000};

// One target before its schedule is built: where, and at what rate or stages.
struct TargetRequest {
  std::string name;
  TargetAddress address;
  std::optional<double> rate;
  std::string stages;
};

bool parse_duration_flag(std::string_view flag, const std::string& text, Nanos& out,
                         std::string& error) {
  const auto value = parse_duration(text);
  if (!value) {
    error = "--" + std::string(flag) + " '" + text + "' is not a duration (e.g. 500ms, 30s, 2m)";
    return false;
  }
  out = *value;
  return true;
}

std::optional<std::vector<TargetRequest>> collect_targets(const LoadOptions& options,
                                                          const Scenario& scenario,
                                                          std::string& error) {
  std::vector<TargetRequest> targets;
  if (!options.targets.empty()) {
    for (const auto& spec : options.targets) {
      auto target = parse_target_spec(spec, error);
      if (!target) return std::nullopt;
      targets.push_back({target->name, target->address, target->rate, {}});
    }
  } else if (!scenario.targets.empty()) {
    for (const auto& item : scenario.targets) {
      auto address = parse_target_url(item.url, error);
      if (!address) return std::nullopt;
      targets.push_back(
          {item.name.empty() ? address->host_header : item.name, *address, item.rate, item.stages});
    }
  } else {
    auto address = parse_target_url("http://127.0.0.1:8080", error);
    targets.push_back({address->host_header, *address, std::nullopt, {}});
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (targets[i].name == targets[j].name) {
        error = "two targets are named '" + targets[i].name + "': name them NAME=URL";
        return std::nullopt;
      }
    }
  }
  return targets;
}

// The target's rate profile as stages, before it is fitted to the run duration.
std::optional<std::vector<RateStage>> target_stages(const TargetRequest& target,
                                                    const LoadOptions& options, double& start_rate,
                                                    std::string& error) {
  const std::string& stage_text = !target.stages.empty() ? target.stages : options.stages;
  const auto rate = target.rate ? target.rate : options.rate;
  if (!stage_text.empty()) {
    start_rate = rate.value_or(0.0);
    auto stages = parse_stages(stage_text, error);
    if (stages.empty()) {
      error = "target '" + target.name + "': " + error;
      return std::nullopt;
    }
    return stages;
  }
  if (!rate || *rate <= 0) {
    error = "target '" + target.name + "' has no rate: give --rate, --stages or NAME=URL@RATE";
    return std::nullopt;
  }
  start_rate = *rate;
  return std::vector<RateStage>{};  // constant: built once the duration is known
}

Nanos total_length(const std::vector<RateStage>& stages) {
  Nanos total{0};
  for (const auto& stage : stages) total += stage.duration;
  return total;
}

bool validate_numbers(const LoadOptions& o, std::string& error) {
  if (o.threads < 1 || o.threads > 64) {
    error = "--threads must be in [1, 64]";
  } else if (o.source_addresses < 1 || o.source_addresses > 254) {
    error = "--source-addresses must be in [1, 254]";
  } else if (o.max_in_flight < 1 || o.max_in_flight > 1'000'000) {
    error = "--max-in-flight must be in [1, 1000000]";
  } else if (o.max_backlog > 100'000'000) {
    error = "--max-backlog must be at most 100000000";
  } else if (o.connections && (*o.connections < 1 || *o.connections > 1'000'000)) {
    error = "--connections must be in [1, 1000000]";
  } else if (o.rate && !(*o.rate > 0 && *o.rate <= 10'000'000)) {
    error = "--rate must be in (0, 10000000] requests per second";
  } else if (!(o.rate_tolerance >= 0 && o.rate_tolerance <= 1)) {
    error = "--rate-tolerance must be in [0, 1]";
  } else if (o.max_error_rate && !(*o.max_error_rate >= 0 && *o.max_error_rate <= 1)) {
    error = "--max-error-rate must be in [0, 1]";
  } else {
    return true;
  }
  return false;
}

}  // namespace

std::optional<RunPlan> build_run_plan(const LoadOptions& options, std::string& error) {
  if (!validate_numbers(options, error)) return std::nullopt;
  auto scenario = load_scenario(options.scenario, error);
  if (!scenario) return std::nullopt;
  auto targets = collect_targets(options, *scenario, error);
  if (!targets) return std::nullopt;

  RunPlan plan;
  plan.scenario_name = scenario->name;
  const bool any_target_rate = std::any_of(targets->begin(), targets->end(), [](const auto& t) {
    return t.rate.has_value() || !t.stages.empty();
  });
  const bool open = options.rate || !options.stages.empty() || any_target_rate;
  if (open && options.connections) {
    error = "--connections (closed model) cannot be combined with a rate or stages (open model)";
    return std::nullopt;
  }
  if (!open && !options.connections) {
    error =
        "choose a load model: --rate R (open, constant arrival rate), --stages, or "
        "--connections N (closed)";
    return std::nullopt;
  }
  plan.model = open ? LoadModel::open : LoadModel::closed;

  if (!parse_duration_flag("warmup", options.warmup, plan.warmup, error) ||
      !parse_duration_flag("timeout", options.timeout, plan.timeout, error) ||
      !parse_duration_flag("think-time", options.think_time, plan.think_time, error) ||
      !parse_duration_flag("late-after", options.late_after, plan.late_after, error)) {
    return std::nullopt;
  }
  if (plan.timeout.count() <= 0) {
    error = "--timeout must be greater than 0";
    return std::nullopt;
  }

  // Rate profiles first: without --duration the run lasts as long as the longest stage list.
  std::vector<std::vector<RateStage>> profiles;
  std::vector<double> start_rates;
  Nanos longest_stages{0};
  if (open) {
    for (const auto& target : *targets) {
      double start_rate = 0;
      auto stages = target_stages(target, options, start_rate, error);
      if (!stages) return std::nullopt;
      longest_stages = std::max(longest_stages, total_length(*stages));
      profiles.push_back(std::move(*stages));
      start_rates.push_back(start_rate);
    }
  }
  if (!options.duration.empty()) {
    if (!parse_duration_flag("duration", options.duration, plan.duration, error)) {
      return std::nullopt;
    }
  } else {
    plan.duration = longest_stages.count() > 0 ? longest_stages : kDefaultDuration;
  }
  if (plan.duration.count() <= 0 || plan.duration > kMaxDuration) {
    error = "--duration must be in (0, 24h]";
    return std::nullopt;
  }
  if (plan.warmup >= plan.duration) {
    error = "--warmup must be shorter than the run (" + format_duration(plan.duration) + ")";
    return std::nullopt;
  }

  plan.connections = options.connections.value_or(0);
  plan.max_in_flight = options.max_in_flight;
  plan.max_backlog = options.max_backlog;
  plan.max_requests = options.requests;
  plan.threads = options.threads;
  plan.source_addresses = options.source_addresses;
  plan.connection_per_request = options.connection_per_request;
  plan.seed = options.seed;

  for (std::size_t i = 0; i < targets->size(); ++i) {
    auto& target = (*targets)[i];
    std::optional<ArrivalSchedule> schedule;
    if (open) {
      auto stages = profiles[i];
      // A profile shorter than the run holds its last rate until the end.
      const Nanos length = total_length(stages);
      if (length < plan.duration) {
        const double last = stages.empty() ? start_rates[i] : stages.back().target_rate;
        stages.push_back({plan.duration - length, last});
      }
      schedule.emplace(start_rates[i], stages);
    }
    plan.targets.push_back(TargetPlan{
        target.name, target.address,
        RequestMix(scenario->endpoints, target.address, plan.connection_per_request, plan.seed + i),
        std::move(schedule)});
  }
  return plan;
}

}  // namespace latencylab::loadgen
