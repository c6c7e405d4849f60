#include "loadgen/run_plan_builder.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>
#include <tuple>
#include <utility>

#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "loadgen/scenario.hpp"

namespace latencylab::loadgen {
namespace {

constexpr Nanos kDefaultDuration{10'000'000'000};
constexpr Nanos kMaxDuration{24LL * 3600 * 1'000'000'000};
constexpr std::size_t kMaxConnections = 1'000'000;

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

// A target URL under --scenario names the base; its path is a prefix only when --base-path says
// so, never silently (a path like /api/users would turn /health into /api/users/health).
core::Result<TargetAddress> scenario_base(TargetAddress address, bool base_path,
                                          std::string_view url) {
  if (address.path.find('?') != std::string::npos) {
    return core::Problem{"--target", "target '" + std::string(url) +
                                         "' has a query: with --scenario a URL names the base"};
  }
  while (address.path.ends_with('/')) address.path.pop_back();
  if (!address.path.empty() && !base_path) {
    return core::Problem{
        "--target", "target '" + std::string(url) + "' has a path, but with --scenario a URL " +
                        "names the base: add --base-path to prefix the scenario's paths with " +
                        address.path + ", or drop --scenario to load the URL as written"};
  }
  return address;
}

core::Result<std::vector<TargetRequest>> collect_targets(const LoadOptions& options,
                                                         const Scenario* scenario) {
  std::vector<TargetRequest> targets;
  if (!options.targets.empty()) {
    for (const auto& spec : options.targets) {
      auto target = parse_target_spec(spec);
      if (!target) return target.error();
      if (scenario != nullptr) {
        auto base = scenario_base(target->address, options.base_path, spec);
        if (!base) return base.error();
        target->address = *std::move(base);
      } else if (target->name == target->address.host_header) {
        target->name += target->address.path;  // unnamed URLs differ by their path
      }
      targets.push_back({target->name, target->address, target->rate, {}});
    }
  } else if (!scenario->targets.empty()) {
    // A load model on the command line (--rate, --stages, -c) replaces the file's per-target
    // rates and stages, as flags override a file everywhere else.
    const bool model_flag = options.rate || !options.stages.empty() || options.connections;
    for (const auto& item : scenario->targets) {
      auto address = parse_target_url(item.url);
      if (!address) return address.error();
      auto base = scenario_base(*std::move(address), options.base_path, item.url);
      if (!base) return base.error();
      targets.push_back({item.name.empty() ? base->host_header : item.name, *base,
                         model_flag ? std::nullopt : item.rate,
                         model_flag ? std::string() : item.stages});
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

// The one endpoint of URL targets without a scenario: -m, -H, --body/--body-file, and no path of
// its own (the URL's path is the request target, see RequestMix).
core::Result<EndpointSpec> url_endpoint(const LoadOptions& options) {
  EndpointSpec endpoint;
  endpoint.method = options.method.value_or("GET");
  const auto is_token = [](std::string_view text) {
    return !text.empty() && text.find_first_not_of(
                                "!#$%&'*+-.^_`|~0123456789"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "abcdefghijklmnopqrstuvwxyz") == text.npos;
  };
  if (!is_token(endpoint.method)) {
    return core::Problem{"--method", "--method '" + endpoint.method + "' is not an HTTP method"};
  }
  for (const auto& header : options.headers) {
    const auto colon = header.find(':');
    const std::string_view name = std::string_view(header).substr(0, colon);
    if (colon == std::string::npos || !is_token(name) ||
        header.find_first_of("\r\n") != std::string::npos) {
      return core::Problem{"--header", "--header '" + header + "' is not 'Name: value'"};
    }
    for (const std::string_view own : {"Host", "Content-Length"}) {
      if (core::iequals(name, own)) {
        return core::Problem{"--header", "--header " + std::string(own) +
                                             " is set by latencylab load from the URL and body"};
      }
    }
  }
  endpoint.headers = options.headers;
  endpoint.content_type.clear();  // a body's type is whatever -H Content-Type says
  if (options.body && !options.body_file.empty()) {
    return core::Problem{"--body", "--body and --body-file are alternatives: give one"};
  }
  if (options.expect_status) {
    auto statuses = parse_status_list(*options.expect_status);
    if (!statuses) return statuses.error();
    endpoint.expected_statuses = *std::move(statuses);
  }
  if (options.body) endpoint.body = *options.body;
  if (!options.body_file.empty()) {
    std::ifstream file(options.body_file, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    if (!file) return core::Problem{"--body-file", "cannot read --body-file " + options.body_file};
    endpoint.body = text.str();
  }
  return endpoint;
}

// The endpoints each target is loaded with, and the scenario's name ("" for URL targets).
struct LoadedMix {
  std::string scenario_name;
  std::vector<EndpointSpec> endpoints;
  std::unique_ptr<Scenario> scenario;  // null for URL targets
};

core::Result<LoadedMix> load_mix(const LoadOptions& options) {
  const bool request_flags = options.method || !options.headers.empty() || options.body ||
                             !options.body_file.empty() || options.expect_status;
  if (!options.scenario) {
    if (options.targets.empty()) {
      return core::Problem{"",
                           "nothing to load: give a URL (latencylab load "
                           "http://127.0.0.1:8080/health --rate 100) or --scenario NAME"};
    }
    if (options.base_path) {
      return core::Problem{"--base-path",
                           "--base-path applies to a --scenario's paths; without "
                           "--scenario each URL is loaded as written"};
    }
    auto endpoint = url_endpoint(options);
    if (!endpoint) return endpoint.error();
    return LoadedMix{"", {*std::move(endpoint)}, nullptr};
  }
  if (request_flags) {
    return core::Problem{"--scenario",
                         "-m/-H/--body/--body-file/--expect-status describe the request to a URL; "
                         "with --scenario the scenario's endpoints say what to send and expect"};
  }
  auto scenario = load_scenario(*options.scenario);
  if (!scenario) return scenario.error();
  LoadedMix mix{scenario->name, scenario->endpoints, nullptr};
  mix.scenario = std::make_unique<Scenario>(*std::move(scenario));
  return mix;
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

// The closed model's --stages: the same DURATION:VALUE notation, each value a connection count.
core::Result<std::vector<ConnectionStage>> connection_stages(const std::string& text) {
  auto stages = parse_stages(text);
  if (!stages) return core::Problem{"--stages", stages.error().message};
  std::vector<ConnectionStage> counts;
  for (std::size_t i = 0; i < stages->size(); ++i) {
    const double value = (*stages)[i].target_rate;
    if (value < 0 || value > static_cast<double>(kMaxConnections) || value != std::floor(value)) {
      std::string value_text;
      core::json::append(value_text, boost::json::value(value));
      return core::Problem{"--stages",
                           "--stages with --connections: stage values are connection "
                           "counts; stage " +
                               std::to_string(i + 1) + "'s " + value_text +
                               " is not a whole number in [0, 1000000]"};
    }
    counts.push_back({(*stages)[i].duration, static_cast<std::size_t>(value)});
  }
  return counts;
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
      {!o.connections ||
           (*o.connections <= kMaxConnections && (*o.connections >= 1 || !o.stages.empty())),
       "--connections must be in [1, 1000000] (0 only as the start of --stages)"},
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
  auto mix = load_mix(options);
  if (!mix) return mix.error();
  auto targets = collect_targets(options, mix->scenario.get());
  if (!targets) return targets.error();

  RunPlan plan;
  plan.scenario_name = mix->scenario_name;
  const bool any_target_rate = std::any_of(targets->begin(), targets->end(), [](const auto& t) {
    return t.rate.has_value() || !t.stages.empty();
  });
  // With --connections (closed model) --stages ramps the connection count; without, the rate.
  const bool open = !options.connections;
  if (options.connections && options.rate) {
    return core::Problem{"--connections",
                         "--connections (closed model) cannot be combined with --rate (open "
                         "model); with --connections, --stages ramps the connection count"};
  }
  if (options.connections && any_target_rate) {
    return core::Problem{"--connections",
                         "--connections (closed model) cannot be combined with a target's own "
                         "rate (NAME=URL@RATE: open model)"};
  }
  if (open && !options.rate && options.stages.empty() && !any_target_rate) {
    return core::Problem{"",
                         "choose a load model: --rate R (open, constant arrival rate), --stages, "
                         "or --connections N (closed, ramped by --stages)"};
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
  } else if (!options.stages.empty()) {
    auto stages = connection_stages(options.stages);
    if (!stages) return stages.error();
    plan.connections = ConnectionRamp(*options.connections, *stages);
    if (plan.connections.peak() == 0) {
      return core::Problem{"--stages", "--stages with --connections 0 never opens a connection"};
    }
    for (const auto& stage : *stages) longest_stages += stage.duration;
  } else {
    plan.connections = ConnectionRamp::constant(*options.connections);
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
    std::string url = "http://" + target.address.host_header + target.address.path;
    std::vector<EndpointSpec> endpoints = mix->endpoints;
    if (!mix->scenario) {  // a URL target's one endpoint is named after its request: "GET /health"
      const auto& path = target.address.path;
      endpoints[0].name = endpoints[0].method + " " + (path.empty() ? "/" : path);
    }
    plan.targets.push_back(TargetPlan{
        target.name, std::move(url), target.address,
        RequestMix(endpoints, target.address, plan.connection_per_request, plan.seed + i),
        std::move(schedule)});
  }
  return plan;
}

}  // namespace latencylab::loadgen
