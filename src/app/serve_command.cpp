#include "app/serve_command.hpp"

#include <boost/program_options.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "app/options_only.hpp"
#include "app/service.hpp"
#include "app/telemetry_setup.hpp"
#include "config/config_loader.hpp"
#include "config/resolved_service.hpp"
#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/open_file_limit.hpp"
#include "core/result.hpp"

namespace latencylab::app {
namespace {

namespace po = boost::program_options;

struct ServeFlags {
  std::string config_file;
  std::vector<std::string> overrides;
  bool print_config = false;
};

const char* real_getenv(const char* name) {
  return std::getenv(name);
}

// Shorthand flags for config keys; their values go through the config loader like --set, so
// type and range errors read the same ("server.port: ...") whichever way a key was given.
struct KeyFlag {
  const char* flag;
  const char* key;
  const char* help;
};
constexpr KeyFlag kKeyFlags[] = {
    {"address", "server.address", "listen address"},
    {"port", "server.port", "listen port; 0 picks a free one"},
    {"time-scale", "time_scale", "multiply every simulated latency, e.g. 0.01"},
    {"seed", "seed", "random seed for reproducible runs; 0 = random"},
    {"log-level", "log.level", "debug|info|warn|error"},
    {"graph", "graph", "service graph file (docs/GRAPHS.md); default: the built-in graph"},
    {"service", "service", "the graph's service to run; default: the graph's only service"},
};

// What a valid command line asks for: serving with these flags, or the help.
using ServeCommandLine = std::variant<ServeFlags, core::HelpRequested>;

core::Result<ServeCommandLine> parse_flags(int argc, char** argv) {
  po::options_description options(
      "latencylab serve: the HTTP service\n\n"
      "Precedence: flags > LATENCYLAB_* environment > --config file > defaults.\n"
      "Telemetry is configured with the standard OTEL_* variables (docs/METRICS.md).\n\n"
      "options");
  options.add_options()("help,h", "show this help")(
      "config,c", po::value<std::string>(),
      "JSON config file (default: $LATENCYLAB_CONFIG, else built-in defaults)");
  for (const auto& key_flag : kKeyFlags) {
    const std::string help = std::string(key_flag.help) + " (" + key_flag.key + ")";
    options.add_options()(key_flag.flag, po::value<std::string>(), help.c_str());
  }
  options.add_options()("access-log", "enable the sampled access log (log.access_log)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override any config key: --set server.idle_timeout_ms=5000 (repeatable)")(
      "peer", po::value<std::vector<std::string>>()->composing(),
      "NAME=http://host:port: reach the graph's service NAME there instead of at its graph url "
      "(repeatable; replaces LATENCYLAB_PEERS) (peers)")(
      "graph-set", po::value<std::vector<std::string>>()->composing(),
      "PATH=VALUE: change a value of the graph before it is read, PATH as in the graph's "
      "error messages: --graph-set services.orders.databases.orders_db.pool_size=2 (repeatable; "
      "replaces LATENCYLAB_GRAPH_OVERRIDES) (graph_overrides)")(
      "print-config",
      "check what startup checks (the config, the graph service and its peers, the OTEL_* "
      "variables), print the effective config as JSON and exit without listening");
  po::variables_map values;
  std::optional<std::string> stray;
  try {
    stray = store_options_only(argc, argv, options, values);
  } catch (const po::error& error) {
    return core::Problem{"", "latencylab serve: " + std::string(error.what()) + " (see --help)"};
  }
  if (stray) {
    return core::Problem{"", "latencylab serve: unexpected argument '" + *stray +
                                 "': serve takes options only (a config file is --config FILE; "
                                 "see --help)"};
  }
  if (values.count("help")) {
    std::ostringstream text;
    text << options;
    return ServeCommandLine{core::HelpRequested{text.str()}};
  }
  ServeFlags flags;
  if (values.count("config")) {
    flags.config_file = values["config"].as<std::string>();
  } else if (const char* from_env = std::getenv(config::kConfigFileVariable)) {
    flags.config_file = from_env;
  }
  if (values.count("set")) flags.overrides = values["set"].as<std::vector<std::string>>();
  // Shorthands come after --set: the most specific spelling wins.
  for (const auto& key_flag : kKeyFlags) {
    if (values.count(key_flag.flag)) {
      flags.overrides.push_back(std::string(key_flag.key) + "=" +
                                values[key_flag.flag].as<std::string>());
    }
  }
  if (values.count("access-log")) flags.overrides.push_back("log.access_log=true");
  if (values.count("peer")) {
    boost::json::array peers;
    for (const auto& peer : values["peer"].as<std::vector<std::string>>()) {
      peers.emplace_back(boost::json::string(peer));
    }
    flags.overrides.push_back("peers=" + core::json::serialize(peers));
  }
  if (values.count("graph-set")) {
    boost::json::array graph_overrides;
    for (const auto& entry : values["graph-set"].as<std::vector<std::string>>()) {
      graph_overrides.emplace_back(boost::json::string(entry));
    }
    flags.overrides.push_back("graph_overrides=" + core::json::serialize(graph_overrides));
  }
  flags.print_config = values.count("print-config") != 0;
  return ServeCommandLine{std::move(flags)};
}

}  // namespace

int run_serve_command(int argc, char** argv) {
  const auto parsed = parse_flags(argc, argv);
  if (!parsed) {
    std::cerr << parsed.error().message << '\n';
    return 2;
  }
  if (const auto* help = std::get_if<core::HelpRequested>(&*parsed)) {
    std::cout << help->text;
    return 0;
  }
  const ServeFlags& flags = std::get<ServeFlags>(*parsed);

  ServiceOptions options;
  TelemetrySetup telemetry;
  try {
    options.config = config::load_config({.file = flags.config_file,
                                          .getenv = real_getenv,
                                          .environment_names = config::process_environment_names(),
                                          .overrides = flags.overrides});
  } catch (const std::exception& error) {
    std::cerr << "latencylab serve: " << error.what() << '\n';
    return 2;
  }
  try {
    config::ResolvedService resolved = config::resolve_service(options.config);
    options.service = resolved.service();
    options.downstream_urls = std::move(resolved.downstream_urls);
    // A graph service reports under its own name unless OTEL_SERVICE_NAME says otherwise.
    telemetry = telemetry_from_env(telemetry::process_environment(), options.service.name);
  } catch (const std::exception& error) {
    std::cerr << "latencylab serve: " << error.what() << '\n';
    return 2;
  }
  // After every check startup makes, so that a printed config is one that starts: deployments
  // (tests/deploy/compose_matches_native.py) use this as serve's dry run.
  if (flags.print_config) {
    std::cout << core::json::serialize(config::to_json(options.config)) << '\n';
    return 0;
  }

  if (const auto level = core::log::parse_level(options.config.log.level))
    core::log::set_min_level(*level);
  const std::uint64_t open_file_limit = core::raise_open_file_limit();

  options.meter = std::move(telemetry.meter);
  options.exporter = std::move(telemetry.exporter);
  options.reader = telemetry.reader;
  options.http_metrics_enabled = telemetry.http_metrics_enabled;
  options.handle_signals = true;
  try {
    Service service{std::move(options)};
    core::log::info("starting", {{"config", config::to_json(service.config())},
                                 {"open_file_limit", open_file_limit},
                                 {"metrics_exporter", telemetry.exporter_name},
                                 {"otlp_endpoint", telemetry.endpoint}});
    service.run();
  } catch (const std::exception& error) {
    core::log::error("startup_failed", {{"error", error.what()}});
    core::log::flush();
    std::cerr << "latencylab serve: " << error.what() << '\n';
    return 1;
  }
  core::log::flush();
  return 0;
}

}  // namespace latencylab::app
