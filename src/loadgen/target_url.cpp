#include "loadgen/target_url.hpp"

#include <charconv>

namespace latencylab::loadgen {
namespace {

namespace ip = boost::asio::ip;

std::string not_loopback_message(std::string_view host) {
  return "refusing target host '" + std::string(host) +
         "': latencylab load only sends to loopback (127.0.0.0/8, ::1, localhost)";
}

}  // namespace

bool is_loopback(const ip::address& address) noexcept {
  if (address.is_v4()) return address.to_v4().is_loopback();
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, v6).is_loopback();
  return v6.is_loopback();
}

std::optional<TargetAddress> parse_target_url(std::string_view url, std::string& error) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) {
    error = "target '" + std::string(url) + "' must start with http:// (https is not supported)";
    return std::nullopt;
  }
  std::string_view rest = url.substr(kScheme.size());
  const auto slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  while (path.ends_with('/')) path.remove_suffix(1);
  if (path.find_first_of("?#") != std::string_view::npos) {
    error = "target '" + std::string(url) + "' must not carry a query or fragment";
    return std::nullopt;
  }

  std::string_view host;
  std::string_view port_text;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "target '" + std::string(url) + "' has an unterminated [IPv6] host";
      return std::nullopt;
    }
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) {
      error = "target '" + std::string(url) + "' has junk after the [IPv6] host";
      return std::nullopt;
    }
    if (!after.empty()) port_text = after.substr(1);
  } else {
    const auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (host.empty()) {
    error = "target '" + std::string(url) + "' has no host";
    return std::nullopt;
  }

  unsigned port = 80;
  if (!port_text.empty()) {
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      error = "target '" + std::string(url) + "' has an invalid port";
      return std::nullopt;
    }
  }

  ip::address address;
  if (host == "localhost") {
    address = ip::address_v4::loopback();  // never resolved: see the banner
  } else {
    boost::system::error_code ec;
    address = ip::make_address(std::string(host), ec);
    if (ec) {
      error = not_loopback_message(host) + " (use a literal address)";
      return std::nullopt;
    }
  }
  if (!is_loopback(address)) {
    error = not_loopback_message(host);
    return std::nullopt;
  }

  TargetAddress target;
  target.endpoint = ip::tcp::endpoint(address, static_cast<unsigned short>(port));
  target.host_header = std::string(authority);
  target.base_path = std::string(path);
  return target;
}

std::optional<TargetSpec> parse_target_spec(std::string_view spec, std::string& error) {
  TargetSpec target;
  const auto scheme = spec.find("://");
  const auto equals = spec.find('=');
  if (equals != std::string_view::npos && (scheme == std::string_view::npos || equals < scheme)) {
    target.name = std::string(spec.substr(0, equals));
    spec = spec.substr(equals + 1);
  }
  const auto at = spec.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view rate_text = spec.substr(at + 1);
    double rate = 0;
    const auto [end, ec] =
        std::from_chars(rate_text.data(), rate_text.data() + rate_text.size(), rate);
    if (ec != std::errc{} || end != rate_text.data() + rate_text.size() || rate <= 0) {
      error = "target '" + std::string(spec) + "' has an invalid @RATE (requests per second > 0)";
      return std::nullopt;
    }
    target.rate = rate;
    spec = spec.substr(0, at);
  }
  auto address = parse_target_url(spec, error);
  if (!address) return std::nullopt;
  target.address = std::move(*address);
  if (target.name.empty()) target.name = target.address.host_header;
  return target;
}

}  // namespace latencylab::loadgen
