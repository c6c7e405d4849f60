#include "telemetry/otlp/otlp_exporter_settings.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>

namespace latencylab::telemetry::otlp {
namespace {

constexpr std::string_view generic_prefix = "OTEL_EXPORTER_OTLP_";
constexpr std::string_view metrics_prefix = "OTEL_EXPORTER_OTLP_METRICS_";

// A variable's value together with the name it came from, so errors name the right one.
struct EnvValue {
  std::string name;
  std::string value;
};

// The signal-specific variable if set and non-empty, else the generic one, else nothing.
std::optional<EnvValue> lookup(const EnvLookup& env, std::string_view suffix) {
  for (std::string_view prefix : {metrics_prefix, generic_prefix}) {
    std::string name = std::string(prefix).append(suffix);
    if (std::optional<std::string> value = env(name); value && !value->empty()) {
      return EnvValue{std::move(name), std::move(*value)};
    }
  }
  return std::nullopt;
}

// Same message shape as the SDK's settings: NAME="value": problem.
[[noreturn]] void fail(const EnvValue& var, std::string_view problem) {
  throw SettingsError(var.name, var.name + "=\"" + var.value + "\": " + std::string(problem));
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view blanks = " \t";
  const auto first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(blanks);
  return text.substr(first, last - first + 1);
}

std::string to_lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

bool parse_bool(const EnvValue& var) {
  const std::string value = to_lower(trim(var.value));
  if (value == "true") {
    return true;
  }
  if (value == "false") {
    return false;
  }
  fail(var, "expected true or false");
}

// "http://host:port" -> plaintext, "https://host:port" -> TLS; without a scheme the spec's
// OTEL_EXPORTER_OTLP_INSECURE decides (default false, i.e. TLS). A trailing "/" is accepted;
// any other path is an error because gRPC derives the path from the service name.
void apply_endpoint(const EnvValue& var, std::optional<bool> insecure,
                    OtlpExporterSettings& settings) {
  std::string_view rest = trim(var.value);
  bool use_tls = !insecure.value_or(false);
  if (const auto scheme_end = rest.find("://"); scheme_end != std::string_view::npos) {
    const std::string scheme = to_lower(rest.substr(0, scheme_end));
    if (scheme == "http") {
      use_tls = false;
    } else if (scheme == "https") {
      use_tls = true;
    } else {
      fail(var, "scheme must be http or https");
    }
    rest.remove_prefix(scheme_end + 3);
  }
  if (!rest.empty() && rest.back() == '/') {
    rest.remove_suffix(1);
  }
  if (rest.find('/') != std::string_view::npos) {
    fail(var, "an OTLP/gRPC endpoint takes no path, only scheme://host:port");
  }
  if (rest.empty() || rest.front() == ':') {
    fail(var, "missing host");
  }
  settings.endpoint = var.value;
  settings.target = std::string(rest);
  settings.use_tls = use_tls;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::string percent_decode(const EnvValue& var, std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded.push_back(text[i]);
      continue;
    }
    const int high = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
    const int low = high >= 0 ? hex_digit(text[i + 2]) : -1;
    if (low < 0) {
      fail(var, "bad percent-encoding (expected %XX)");
    }
    decoded.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return decoded;
}

// gRPC rejects other metadata keys: lower-case letters, digits, '-', '_' and '.'.
bool valid_metadata_key(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

// Printable ASCII only: gRPC refuses control characters in text metadata.
bool valid_metadata_value(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

// "key1=value1,key2=value2" (W3C baggage-like, values percent-encoded).
std::vector<std::pair<std::string, std::string>> parse_headers(const EnvValue& var) {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view rest = var.value;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view member = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (member.empty()) {
      continue;  // tolerate "a=1,,b=2" and a trailing comma
    }
    const auto equals = member.find('=');
    if (equals == std::string_view::npos) {
      fail(var, "each header must be key=value");
    }
    std::string key = to_lower(percent_decode(var, trim(member.substr(0, equals))));
    std::string value = percent_decode(var, trim(member.substr(equals + 1)));
    if (!valid_metadata_key(key) || key.starts_with("grpc-") || key.ends_with("-bin")) {
      fail(var, "header key \"" + key +
                    "\" is not a valid gRPC metadata key ([a-z0-9-_.], not grpc-*, not *-bin)");
    }
    if (!valid_metadata_value(value)) {
      fail(var, "header \"" + key + "\" has a non-printable value");
    }
    headers.emplace_back(std::move(key), std::move(value));
  }
  return headers;
}

std::chrono::milliseconds parse_timeout(const EnvValue& var) {
  const std::string_view text = trim(var.value);
  long long millis = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), millis);
  if (ec != std::errc{} || end != text.data() + text.size() || millis <= 0) {
    fail(var, "expected a positive integer number of milliseconds");
  }
  return std::chrono::milliseconds(millis);
}

OtlpCompression parse_compression(const EnvValue& var) {
  const std::string value = to_lower(trim(var.value));
  if (value == "gzip") {
    return OtlpCompression::gzip;
  }
  if (value == "none") {
    return OtlpCompression::none;
  }
  fail(var, "expected gzip or none");
}

}  // namespace

OtlpExporterSettings otlp_settings_from_env(const EnvLookup& env) {
  OtlpExporterSettings settings;
  std::optional<bool> insecure;
  if (auto var = lookup(env, "INSECURE")) {
    insecure = parse_bool(*var);
  }
  if (auto var = lookup(env, "ENDPOINT")) {
    apply_endpoint(*var, insecure, settings);
  }
  if (auto var = lookup(env, "CERTIFICATE")) {
    settings.certificate_file = std::string(trim(var->value));
  }
  if (auto var = lookup(env, "HEADERS")) {
    settings.headers = parse_headers(*var);
  }
  if (auto var = lookup(env, "TIMEOUT")) {
    settings.timeout = parse_timeout(*var);
  }
  if (auto var = lookup(env, "COMPRESSION")) {
    settings.compression = parse_compression(*var);
  }
  return settings;
}

}  // namespace latencylab::telemetry::otlp
