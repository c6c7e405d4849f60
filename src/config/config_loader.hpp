// Builds the effective Config: defaults < JSON file < LATENCYLAB_* environment < CLI overrides,
// then validates it. Startup-time only: errors are exceptions whose message names the key.
//
//   auto config = latencylab::config::load_config({
//       .file = "config/latencylab.json",
//       .getenv = [](const char* name) { return std::getenv(name); },
//       .environment_names = latencylab::config::process_environment_names(),
//       .overrides = {"server.port=9090", "time_scale=0.01"}});
//
// Keys are dotted paths of the described structs ("server.header_timeout_ms"). The environment
// variable for a key is LATENCYLAB_ + the path upper-cased with "__" between levels:
// LATENCYLAB_SERVER__HEADER_TIMEOUT_MS=5000. An environment or override value is parsed as JSON
// when it parses (numbers, booleans, arrays) and taken as a string otherwise; a string-typed key
// always takes the text verbatim. A LATENCYLAB_* variable that names no key is an error (a typo
// would otherwise be silently ignored), except LATENCYLAB_CONFIG, the config file path the CLI
// reads. The former endpoints.* keys are errors naming where each moved in the service graph
// (docs/GRAPHS.md). docs/CONFIG.md lists every key.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace latencylab::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using Getenv = std::function<const char*(const char*)>;

// The `{}` initializers let callers name only the sources they use ({.file = ...}) under
// -Wmissing-field-initializers.
struct ConfigSources {
  std::string file{};  // empty: no file
  Getenv getenv{};     // empty: no environment
  // Names of the LATENCYLAB_* variables that are set, checked against the known keys.
  // process_environment_names() for the real environment; empty: no check.
  std::vector<std::string> environment_names{};
  std::vector<std::string> overrides{};  // "dotted.key=value", applied in order
};

// The variable naming the config file; read by the CLI, not a config key.
inline constexpr const char* kConfigFileVariable = "LATENCYLAB_CONFIG";

// The names of this process's LATENCYLAB_* environment variables.
[[nodiscard]] std::vector<std::string> process_environment_names();

[[nodiscard]] Config load_config(const ConfigSources& sources);

// Throws ConfigError listing every invalid key with its value and the rule it breaks (time_scale
// out of range, zero limits, an invalid address, log level or peer, ...).
void validate(const Config& config);

// The effective config as JSON, for the startup log line and `serve --print-config`.
[[nodiscard]] boost::json::value to_json(const Config& config);

}  // namespace latencylab::config
