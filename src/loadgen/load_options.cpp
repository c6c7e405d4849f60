// GCC 12 at -O2 reports a false -Wnull-dereference inside Boost.Program_options' string handling
// (inlined library code, not ours); silenced for this file only, before the includes.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include "loadgen/load_options.hpp"

#include <boost/program_options.hpp>
#include <charconv>
#include <sstream>
#include <string_view>
#include <utility>

#include "loadgen/scenario.hpp"

namespace latencylab::loadgen {
namespace {

namespace po = boost::program_options;

constexpr const char* kUsage =
    "Usage: latencylab load [options] URL [URL...]\n"
    "       latencylab load --scenario NAME|FILE [options] [BASE-URL...]\n"
    "\n"
    "Generates HTTP load against loopback targets and reports latency percentiles.\n"
    "Without --scenario each URL is requested exactly as written (no path means /), with\n"
    "-m/-H/--body; with --scenario a URL names the base the scenario's paths are sent to.\n"
    "Open model (--rate / --stages): requests are sent at their scheduled times and latency is\n"
    "measured from the scheduled time, so server stalls are not hidden (coordinated omission).\n"
    "Closed model (--connections): N connections each send a request, await it, think, repeat;\n"
    "with --stages the connection count ramps from -c (stage values are connections).\n"
    "With OTEL_METRICS_EXPORTER set (otlp, console), the generator exports its own metrics\n"
    "(client durations, corrected durations, requests by outcome) with the OTEL_* settings.\n"
    "\n"
    "Examples:\n"
    "  latencylab load http://127.0.0.1:8080/health --rate 500 --duration 30s\n"
    "  latencylab load http://127.0.0.1:8080/api/orders -m POST -H 'Content-Type: "
    "application/json' \\\n"
    "      --body '{\"user_id\":\"u1\",\"items\":[{\"id\":\"sku-1\",\"qty\":1}],\"total\":9.99}' "
    "-c 8 -d 10s\n"
    "  latencylab load http://127.0.0.1:8080 --scenario demo --stages 30s:100,60s:500,30s:0\n"
    "  latencylab load http://127.0.0.1:8080 --scenario health --connections 64 --duration 20s\n"
    "  latencylab load http://127.0.0.1:8080/health -c 1 --stages 30s:50,60s:50,10s:0\n"
    "  latencylab load --scenario dataplanes --duration 60s --timeline timeline.csv\n"
    "  latencylab load http://127.0.0.1:8080/health -r 200 -d 30s --report run.html\n"
    "  OTEL_METRICS_EXPORTER=otlp latencylab load http://127.0.0.1:8080/health -r 200 -d 60s\n";

// program_options shows a double default at full precision (0.050000000000000003).
std::string short_text(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

// A count flag's value. program_options reads unsigned types with lexical_cast, which turns
// "-3" into 18446744073709551613; this type takes digits only.
template <class T>
struct Count {
  T value{};
};

// Found by argument-dependent lookup: program_options calls validate(any, values, Count<T>*, 0).
template <class T>
void validate(boost::any& out, const std::vector<std::string>& values, Count<T>*, int) {
  po::validators::check_first_occurrence(out);
  const std::string& text = po::validators::get_single_string(values);
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw po::invalid_option_value(text);
  }
  out = Count<T>{value};
}

// A count flag stored into `target`, showing its current value as the default.
template <class T>
po::typed_value<Count<T>>* count_value(T& target) {
  return po::value<Count<T>>()
      ->default_value(Count<T>{target}, std::to_string(target))
      ->notifier([&target](const Count<T>& count) { target = count.value; });
}

}  // namespace

core::Result<LoadCommandLine> parse_load_options(int argc, char** argv) {
  LoadOptions o;
  double rate = 0;
  Count<std::size_t> connections;
  double max_error_rate = 0;

  std::string scenario;
  // The built-in names from the embedded config/scenarios/, so the help cannot go stale.
  std::string scenario_help = "built-in mix (";
  for (const std::string_view name : builtin_scenario_names()) {
    if (scenario_help.back() != '(') scenario_help += ", ";
    scenario_help += name;
  }
  scenario_help += ") or a scenario JSON file; URLs then name only the base (scheme, host, port)";
  std::string method;
  std::string body;
  std::string expect_status;
  po::options_description what("What to load");
  what.add_options()(
      "target,t", po::value(&o.targets)->composing(),
      "[NAME=]URL[@RATE], repeatable, also as positional arguments. Loopback only "
      "(127.0.0.0/8, [::1], localhost). With --scenario and no URL: the scenario's targets, "
      "else http://127.0.0.1:8080")("method,m", po::value(&method),
                                    "URL targets: request method (default GET)")(
      "header,H", po::value(&o.headers)->composing(),
      "URL targets: extra request header 'Name: value', repeatable")("body", po::value(&body),
                                                                     "URL targets: request body")(
      "body-file", po::value(&o.body_file), "URL targets: request body read from a file")(
      "expect-status", po::value(&expect_status),
      "URL targets: the statuses that are not errors, e.g. 200,201,402 (default: 2xx and 3xx; "
      "a scenario endpoint lists its own expected_statuses)")("scenario,s", po::value(&scenario),
                                                              scenario_help.c_str())(
      "base-path", po::bool_switch(&o.base_path),
      "with --scenario: each URL's path is a prefix of the scenario's paths (otherwise a path "
      "on a URL is an error)");

  po::options_description model("Load model");
  model.add_options()("rate,r", po::value(&rate),
                      "open model: constant arrival rate per target (requests/s)")(
      "stages", po::value(&o.stages),
      "open model: rate ramps DURATION:RATE,... e.g. 30s:100,60s:500,30s:0 (linear from the "
      "previous rate, starting at --rate or 0; 0s:R is a step). With -c: DURATION:CONNECTIONS, "
      "ramping the closed model's connections from -c")(
      "connections,c", po::value(&connections),
      "closed model: connections per target (with --stages: the count to start from, may be 0)")(
      "think-time", po::value(&o.think_time)->default_value(o.think_time),
      "closed model: pause between a response and the next request")(
      "max-in-flight", count_value(o.max_in_flight),
      "open model: cap on concurrent requests (= connections) per target")(
      "max-backlog", count_value(o.max_backlog),
      "open model: due requests allowed to wait for a free connection; beyond, they are dropped")(
      "late-after", po::value(&o.late_after)->default_value(o.late_after),
      "open model: a request sent later than this after its scheduled time counts as late");

  po::options_description limits("Duration and limits");
  limits.add_options()("duration,d", po::value(&o.duration),
                       "run length, warm-up included (default: the stages' total, else 10s)")(
      "warmup,w", po::value(&o.warmup)->default_value(o.warmup),
      "leading part of the run excluded from the statistics")(
      "requests,n", count_value(o.requests), "hard cap on requests over all targets (0: none)")(
      "timeout", po::value(&o.timeout)->default_value(o.timeout),
      "per-request deadline (connect + send + receive)");

  po::options_description connections_group("Connections");
  connections_group.add_options()("threads", count_value(o.threads),
                                  "io threads, one io_context each")(
      "connection-per-request", po::bool_switch(&o.connection_per_request),
      "open a new connection for every request (Connection: close)")(
      "source-addresses", count_value(o.source_addresses),
      "spread IPv4 connections over source addresses 127.0.0.1..N (1-254)")(
      "seed", count_value(o.seed), "seed for the mix and generated bodies");

  po::options_description output("Output and exit status");
  output.add_options()("json", po::value(&o.json_path),
                       "write the full result as JSON (schema: docs/LOAD.md)")(
      "timeline", po::value(&o.timeline_path), "write per-second CSV rows per target")(
      "report", po::value(&o.report_path),
      "write one self-contained HTML page with charts of the run (opens offline)")(
      "max-error-rate", po::value(&max_error_rate),
      "exit 1 when errors / completed requests exceeds this fraction (e.g. 0.01)")(
      "rate-tolerance",
      po::value(&o.rate_tolerance)->default_value(o.rate_tolerance, short_text(o.rate_tolerance)),
      "open model: exit 1 when fewer than (1 - this) of the scheduled requests were sent")(
      "quiet,q", po::bool_switch(&o.quiet), "no live progress line")("help,h", "show this help");

  po::options_description all;
  all.add(what).add(model).add(limits).add(connections_group).add(output);

  po::variables_map vm;
  try {
    // command_line_parser skips argv[0] ("load") itself.
    // Positional arguments are targets, like -t; abbreviated flags are not guessed.
    po::positional_options_description urls;
    urls.add("target", -1);
    constexpr int kStyle =
        po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(argc, argv).options(all).positional(urls).style(kStyle).run(),
              vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return core::Problem{"", std::string("latencylab load: ") + e.what() + " (see --help)"};
  }
  if (vm.count("help") != 0) {
    std::ostringstream text;
    text << kUsage << all;
    return LoadCommandLine{core::HelpRequested{text.str()}};
  }
  if (vm.count("scenario") != 0) o.scenario = scenario;
  if (vm.count("method") != 0) o.method = method;
  if (vm.count("body") != 0) o.body = body;
  if (vm.count("expect-status") != 0) o.expect_status = expect_status;
  if (vm.count("rate") != 0) o.rate = rate;
  if (vm.count("connections") != 0) o.connections = connections.value;
  if (vm.count("max-error-rate") != 0) o.max_error_rate = max_error_rate;
  return LoadCommandLine{std::move(o)};
}

}  // namespace latencylab::loadgen
