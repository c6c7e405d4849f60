#include "telemetry/otlp/otlp_exporter_settings.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <optional>
#include <string_view>

#include "core/text.hpp"

namespace latencylab::telemetry::otlp {
namespace {

// OTEL_EXPORTER_OTLP_METRICS_<suffix> if set, else OTEL_EXPORTER_OTLP_<suffix>.
std::optional<EnvValue> lookup_otlp(const EnvLookup& env, std::string_view suffix) {
  const std::string metrics = "OTEL_EXPORTER_OTLP_METRICS_" + std::string(suffix);
  const std::string generic = "OTEL_EXPORTER_OTLP_" + std::string(suffix);
  return lookup(env, {metrics, generic});
}

struct Endpoint {
  std::string target;  // "host:port" for gRPC
  bool use_tls = false;
};

// "http://host:port" -> plaintext, "https://host:port" -> TLS; without a scheme the spec's
// OTEL_EXPORTER_OTLP_INSECURE decides (default false, i.e. TLS). Parsed by Boost.URL; the policy
// here: http or https, a host, and no path (a trailing "/" aside), query or fragment, because
// gRPC derives the path from the service name.
core::Result<Endpoint> parse_endpoint(std::string_view text, std::optional<bool> insecure) {
  const std::string_view trimmed = core::trim(text);
  const bool has_scheme = trimmed.find("://") != std::string_view::npos;
  // Boost.URL reads "collector:4317" as scheme "collector", so a bare authority gets one.
  const std::string uri = has_scheme ? std::string(trimmed) : "http://" + std::string(trimmed);
  const auto url = boost::urls::parse_uri(uri);
  if (!url) {
    return core::Problem{"", "not a valid endpoint URL (" + url.error().message() + ")"};
  }
  Endpoint endpoint{.target = {}, .use_tls = !insecure.value_or(false)};
  if (has_scheme) {
    if (url->scheme_id() != boost::urls::scheme::http &&
        url->scheme_id() != boost::urls::scheme::https) {
      return core::Problem{"", "scheme must be http or https"};
    }
    endpoint.use_tls = url->scheme_id() == boost::urls::scheme::https;
  }
  if ((!url->encoded_path().empty() && url->encoded_path() != "/") || url->has_query() ||
      url->has_fragment()) {
    return core::Problem{"", "an OTLP/gRPC endpoint takes no path, only scheme://host:port"};
  }
  if (url->has_userinfo()) {
    return core::Problem{"", "an OTLP/gRPC endpoint takes no user information; use HEADERS"};
  }
  if (url->encoded_host().empty()) return core::Problem{"", "missing host"};
  endpoint.target = std::string(url->encoded_host_and_port());
  return endpoint;
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

// The OTel key=value list as gRPC metadata: keys lower-cased, then checked against gRPC's rules.
core::Result<std::vector<std::pair<std::string, std::string>>> parse_headers(
    std::string_view text) {
  auto pairs = parse_key_values(text);
  if (!pairs) return pairs.error();
  std::vector<std::pair<std::string, std::string>> headers;
  for (auto& [key, value] : *pairs) {
    std::string lower = core::to_lower(key);
    if (!valid_metadata_key(lower) || lower.starts_with("grpc-") || lower.ends_with("-bin")) {
      return core::Problem{"", "header key \"" + lower +
                                   "\" is not a valid gRPC metadata key ([a-z0-9-_.], not "
                                   "grpc-*, not *-bin)"};
    }
    if (!valid_metadata_value(value)) {
      return core::Problem{"", "header \"" + lower + "\" has a non-printable value"};
    }
    headers.emplace_back(std::move(lower), std::move(value));
  }
  return headers;
}

}  // namespace

OtlpExporterSettings otlp_settings_from_env(const EnvLookup& env) {
  OtlpExporterSettings settings;
  // What this exporter does not implement is refused: ignored, it would send OTLP/gRPC without
  // the client certificate to a Collector expecting OTLP/HTTP or mTLS.
  const auto refuse = [](const EnvValue& var, std::string why) {
    (void)value_of(var, core::Result<bool>(core::Problem{"", std::move(why)}));
  };
  if (auto var = lookup_otlp(env, "PROTOCOL");
      var && !parse_choice<bool>(var->value, {{"grpc", true}})) {
    refuse(*var, "only grpc is supported (OTLP/HTTP is not)");
  }
  for (const std::string_view suffix : {"CLIENT_KEY", "CLIENT_CERTIFICATE"}) {
    if (auto var = lookup_otlp(env, suffix)) {
      refuse(*var, "client certificates (mTLS) are not supported; unset it");
    }
  }
  std::optional<bool> insecure;
  if (auto var = lookup_otlp(env, "INSECURE")) insecure = value_of(*var, parse_bool(var->value));
  if (auto var = lookup_otlp(env, "ENDPOINT")) {
    const Endpoint endpoint = value_of(*var, parse_endpoint(var->value, insecure));
    settings.endpoint = var->value;
    settings.target = endpoint.target;
    settings.use_tls = endpoint.use_tls;
  }
  if (auto var = lookup_otlp(env, "CERTIFICATE")) {
    settings.certificate_file = std::string(core::trim(var->value));
  }
  if (auto var = lookup_otlp(env, "HEADERS")) {
    settings.headers = value_of(*var, parse_headers(var->value));
  }
  if (auto var = lookup_otlp(env, "TIMEOUT")) {
    settings.timeout = value_of(*var, parse_milliseconds(var->value));
  }
  if (auto var = lookup_otlp(env, "COMPRESSION")) {
    settings.compression = value_of(
        *var, parse_choice<OtlpCompression>(
                  var->value, {{"gzip", OtlpCompression::gzip}, {"none", OtlpCompression::none}}));
  }
  return settings;
}

}  // namespace latencylab::telemetry::otlp
