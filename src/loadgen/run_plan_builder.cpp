#include "loadgen/run_plan_builder.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

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

// The duration a flag gives, or a Problem naming the flag.
core::Result<Nanos> duration_flag(std::string_view flag, const std::string& text) {
  auto value = parse_duration(text);
  if (!value) {
    const std::string name = "--" + std::string(flag);
    return core::Problem{name, name + " " + value.error().message};
  }
  return value;
}

core::Result<std::vector<TargetRequest>> collect_targets(const LoadOptions& options,
                                                         const Scenario& scenario) {
  std::vector<TargetRequest> targets;
  if (!options.targets.empty()) {
    for (const auto& spec : options.targets) {
      auto target = parse_target_spec(spec);
      if (!target) return target.error();
      targets.push_back({target->name, target->address, target->rate, {}});
    }
  } else if (!scenario.targets.empty()) {
    for (const auto& item : scenario.targets) {
      auto address = parse_target_url(item.url);
      if (!address) return address.error();
      targets.push_back(
          {item.name.empty() ? address->host_header : item.name, *address, item.rate, item.stages});
    }
  } else {
    const auto address = parse_target_url("http://127.0.0.1:8080").value();
    targets.push_back({address.host_header, address, std::nullopt, {}});
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (targets[i].name == targets[j].name) {
        return core::Problem{"--target",
                             "two targets are named '" + targets[i].name + "': name them NAME=URL"};
      }
    }
  }
  return targets;
}

// A target's rate profile: the rate it starts at and the stages after it, before they are fitted
// to the run duration.
struct RateProfile {
  double start_rate = 0;
  std::vector<RateStage> stages;  // empty: constant start_rate
};

core::Result<RateProfile> target_profile(const TargetRequest& target, const LoadOptions& options) {
  const std::string& stage_text = !target.stages.empty() ? target.stages : options.stages;
  const auto rate = target.rate ? target.rate : options.rate;
  if (!stage_text.empty()) {
    auto stages = parse_stages(stage_text);
    if (!stages) {
      return core::Problem{"--stages", "target '" + target.name + "': " + stages.error().message};
    }
    return RateProfile{rate.value_or(0.0), *std::move(stages)};
  }
  if (!rate || *rate <= 0) {
    return core::Problem{"--rate", "target '" + target.name +
                                       "' has no rate: give --rate, --stages or NAME=URL@RATE"};
  }
  return RateProfile{*rate, {}};  // constant: built once the duration is known
}

Nanos total_length(const std::vector<RateStage>& stages) {
  Nanos total{0};
  for (const auto& stage : stages) total += stage.duration;
  return total;
}

// The first numeric flag out of range, as a Problem naming it.
core::Result<void> validate_numbers(const LoadOptions& o) {
  const std::pair<bool, std::string_view> rules[] = {
      {o.threads >= 1 && o.threads <= 64, "--threads must be in [1, 64]"},
      {o.source_addresses >= 1 && o.source_addresses <= 254,
       "--source-addresses must be in [1, 254]"},
      {o.max_in_flight >= 1 && o.max_in_flight <= 1'000'000,
       "--max-in-flight must be in [1, 1000000]"},
      {o.max_backlog <= 100'000'000, "--max-backlog must be at most 100000000"},
      {!o.connections || (*o.connections >= 1 && *o.connections <= 1'000'000),
       "--connections must be in [1, 1000000]"},
      {!o.rate || (*o.rate > 0 && *o.rate <= 10'000'000),
       "--rate must be in (0, 10000000] requests per second"},
      {o.rate_tolerance >= 0 && o.rate_tolerance <= 1, "--rate-tolerance must be in [0, 1]"},
      {!o.max_error_rate || (*o.max_error_rate >= 0 && *o.max_error_rate <= 1),
       "--max-error-rate must be in [0, 1]"},
  };
  for (const auto& [ok, message] : rules) {
    // Each message starts with the flag it is about.
    const std::string_view flag = message.substr(0, message.find(' '));
    if (!ok) return core::Problem{std::string(flag), std::string(message)};
  }
  return {};
}

}  // namespace

core::Result<RunPlan> build_run_plan(const LoadOptions& options) {
  if (auto numbers = validate_numbers(options); !numbers) return numbers.error();
  auto scenario = load_scenario(options.scenario);
  if (!scenario) return scenario.error();
  auto targets = collect_targets(options, *scenario);
  if (!targets) return targets.error();

  RunPlan plan;
  plan.scenario_name = scenario->name;
  const bool any_target_rate = std::any_of(targets->begin(), targets->end(), [](const auto& t) {
    return t.rate.has_value() || !t.stages.empty();
  });
  const bool open = options.rate || !options.stages.empty() || any_target_rate;
  if (open && options.connections) {
    return core::Problem{"--connections",
                         "--connections (closed model) cannot be combined with a rate or stages "
                         "(open model)"};
  }
  if (!open && !options.connections) {
    return core::Problem{"",
                         "choose a load model: --rate R (open, constant arrival rate), --stages, "
                         "or --connections N (closed)"};
  }
  plan.model = open ? LoadModel::open : LoadModel::closed;

  const std::tuple<std::string_view, const std::string&, Nanos&> duration_flags[] = {
      {"warmup", options.warmup, plan.warmup},
      {"timeout", options.timeout, plan.timeout},
      {"think-time", options.think_time, plan.think_time},
      {"late-after", options.late_after, plan.late_after},
  };
  for (const auto& [flag, text, out] : duration_flags) {
    auto value = duration_flag(flag, text);
    if (!value) return value.error();
    out = *value;
  }
  if (plan.timeout.count() <= 0) {
    return core::Problem{"--timeout", "--timeout must be greater than 0"};
  }

  // Rate profiles first: without --duration the run lasts as long as the longest stage list.
  std::vector<RateProfile> profiles;
  Nanos longest_stages{0};
  if (open) {
    for (const auto& target : *targets) {
      auto profile = target_profile(target, options);
      if (!profile) return profile.error();
      longest_stages = std::max(longest_stages, total_length(profile->stages));
      profiles.push_back(*std::move(profile));
    }
  }
  if (!options.duration.empty()) {
    auto duration = duration_flag("duration", options.duration);
    if (!duration) return duration.error();
    plan.duration = *duration;
  } else {
    plan.duration = longest_stages.count() > 0 ? longest_stages : kDefaultDuration;
  }
  if (plan.duration.count() <= 0 || plan.duration > kMaxDuration) {
    return core::Problem{"--duration", "--duration must be in (0, 24h]"};
  }
  if (plan.warmup >= plan.duration) {
    return core::Problem{"--warmup", "--warmup must be shorter than the run (" +
                                         format_duration(plan.duration) + ")"};
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
      auto stages = profiles[i].stages;
      // A profile shorter than the run holds its last rate until the end.
      const Nanos length = total_length(stages);
      if (length < plan.duration) {
        const double last = stages.empty() ? profiles[i].start_rate : stages.back().target_rate;
        stages.push_back({plan.duration - length, last});
      }
      schedule.emplace(profiles[i].start_rate, stages);
    }
    plan.targets.push_back(TargetPlan{
        target.name, target.address,
        RequestMix(scenario->endpoints, target.address, plan.connection_per_request, plan.seed + i),
        std::move(schedule)});
  }
  return plan;
}

}  // namespace latencylab::loadgen
