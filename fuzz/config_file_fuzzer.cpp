// Fuzzes configuration loading from JSON text: load_config() on a config file with the fuzz input
// as its content (config_loader.cpp parse + described_json.cpp merge + validate.cpp). The outcome
// must be a valid Config or a ConfigError naming the key at fault, never a crash or another
// exception.
//
// Invariants: a config that loads re-validates and its effective JSON (`serve --print-config`)
// loads back to the same config; an error names a key that exists (or is reported unknown).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/config_loader.hpp"
#include "config/described_json.hpp"
#include "core/json_writer.hpp"
#include "fuzz_target.hpp"

namespace {

using namespace latencylab;
using latencylab::fuzz::require;

// One file per process, rewritten for every input; removed when the process exits normally.
class ConfigFile {
 public:
  ConfigFile()
      : path_(std::filesystem::temp_directory_path() /
              ("latencylab-config-fuzz-" + std::to_string(::getpid()) + ".json")) {}
  ~ConfigFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  ConfigFile(const ConfigFile&) = delete;
  ConfigFile& operator=(const ConfigFile&) = delete;

  void write(std::string_view text) const {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    require(static_cast<bool>(out), "the fuzz config file is writable");
  }
  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

bool names_a_key(std::string_view key) {
  config::Config config;
  return config::detail::visit_key(config, key, [](auto&) {});
}

std::size_t occurrences(std::string_view text, std::string_view phrase) {
  std::size_t count = 0;
  for (auto at = text.find(phrase); at != std::string_view::npos; at = text.find(phrase, at + 1)) {
    ++count;
  }
  return count;
}

// "<origin>: <key>: <problem>" from the file, or "invalid configuration: <key> = <value>: <rule>".
void check_error_message(std::string_view message, std::string_view origin) {
  constexpr std::string_view kInvalid = "invalid configuration: ";
  if (message.starts_with(kInvalid)) {
    const std::string_view rest = message.substr(kInvalid.size());
    require(names_a_key(rest.substr(0, rest.find(" = "))), "a rule violation names a real key");
    return;
  }
  require(message.starts_with(origin) && message.substr(origin.size()).starts_with(": "),
          "a file error starts with the file");
  const std::string_view rest = message.substr(origin.size() + 2);
  if (rest.starts_with("invalid JSON at line ") || rest.starts_with("expected an object")) return;
  // The first key below endpoints.*, which moved to the service graph (docs/GRAPHS.md).
  if (rest.starts_with("endpoints") && rest.find(": moved to the service graph: ") != rest.npos) {
    return;
  }
  // "<key>: unknown key (keys in <parent>: a, b)" or "<key>: expected ..., got <value>". Keys and
  // values from the file are shown verbatim and may contain these very phrases; the message is
  // only split when exactly one of the phrases occurs once, so it cannot be ambiguous.
  constexpr std::string_view kUnknownIn = ": unknown key (keys in ";
  constexpr std::string_view kExpected = ": expected ";
  const std::size_t unknown_phrases = occurrences(rest, ": unknown key (");
  const std::size_t expected_phrases = occurrences(rest, kExpected);
  if (unknown_phrases + expected_phrases != 1) return;
  const bool unknown = unknown_phrases == 1;
  const std::string_view key = rest.substr(0, rest.find(unknown ? ": unknown key (" : kExpected));
  if (unknown) {
    const std::size_t at = rest.find(kUnknownIn);
    if (at == std::string_view::npos) return;  // "(top-level keys: ...)"
    // The parent comes from the message: the unknown key itself may contain dots.
    const std::string_view listed = rest.substr(at + kUnknownIn.size());
    const std::string_view parent = listed.substr(0, listed.find(": "));
    require(names_a_key(parent) && key.starts_with(parent) && key.size() > parent.size() &&
                key[parent.size()] == '.',
            "an unknown key is reported below a real parent");
    return;
  }
  require(names_a_key(key), "a type error names a real key");
}

std::string effective_json(const config::Config& config) {
  return core::json::serialize(config::to_json(config));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ConfigFile file;
  file.write(latencylab::fuzz::as_text(data, size));
  const std::string origin = "config file \"" + file.path() + "\"";
  config::Config config;
  try {
    config = config::load_config({.file = file.path()});
  } catch (const config::ConfigError& error) {
    check_error_message(error.what(), origin);
    return 0;
  }
  config::validate(config);  // throws, and so aborts, if a loaded config is invalid
  const std::string effective = effective_json(config);
  file.write(effective);
  require(effective_json(config::load_config({.file = file.path()})) == effective,
          "the effective config loads back to the same config");
  return 0;
}
