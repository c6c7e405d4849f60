#include "loadgen/target_url.hpp"

#include <boost/url/parse.hpp>
#include <charconv>

#include "core/text.hpp"

namespace latencylab::loadgen {
namespace {

namespace ip = boost::asio::ip;
namespace urls = boost::urls;

core::Problem not_loopback(std::string_view host, std::string_view hint = {}) {
  return core::Problem{"", "refusing target host '" + std::string(host) +
                               "': latencylab load only sends to loopback (127.0.0.0/8, ::1, "
                               "localhost)" +
                               std::string(hint)};
}

// The address a parsed URL's host stands for, if it is a loopback one. "localhost" is mapped to
// 127.0.0.1, never resolved: see the banner.
core::Result<ip::address> loopback_address(const urls::url_view& url) {
  const std::string host(url.encoded_host());
  if (url.host_type() == urls::host_type::name && core::iequals(host, "localhost")) {
    return ip::address(ip::address_v4::loopback());
  }
  if (url.host_type() != urls::host_type::ipv4 && url.host_type() != urls::host_type::ipv6) {
    return not_loopback(host, " (use a literal address)");
  }
  boost::system::error_code ec;
  const ip::address address = ip::make_address(std::string(url.encoded_host_address()), ec);
  if (ec || !is_loopback(address)) return not_loopback(host);
  return address;
}

// The port, 80 when the URL gives none (or an empty one, as RFC 3986 allows).
core::Result<unsigned short> port_of(const urls::url_view& url, std::string_view whole) {
  const std::string_view text = url.port();
  if (text.empty()) return static_cast<unsigned short>(80);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc{} || end != text.data() + text.size() || port == 0 || port > 65535) {
    return core::Problem{"", "target '" + std::string(whole) + "' has an invalid port"};
  }
  return static_cast<unsigned short>(port);
}

// Whether the '@' at `at` starts a target spec's @RATE rather than belonging to the URL: its
// suffix looks like a number, or it sits in the authority and no host follows it ("URL@fast" is a
// bad rate; "http://me@127.0.0.1:8080" is user information, refused as such by the URL's parser).
// An '@' in a path or query ("/search?q=a@b") is the URL's.
bool separates_rate(std::string_view spec, std::size_t at) {
  const std::string_view suffix = spec.substr(at + 1);
  if (!suffix.empty() && suffix.find_first_not_of("0123456789.eE+-") == std::string_view::npos) {
    return true;
  }
  const auto scheme = spec.find("://");
  const auto authority = scheme == std::string_view::npos ? 0 : scheme + 3;
  return spec.find_first_of("/?#", authority) > at && suffix.find_first_of(":/") == suffix.npos;
}

}  // namespace

bool is_loopback(const ip::address& address) noexcept {
  if (address.is_v4()) return address.to_v4().is_loopback();
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, v6).is_loopback();
  return v6.is_loopback();
}

core::Result<TargetAddress> parse_target_url(std::string_view url) {
  const std::string text(
      url);  // Boost.URL 1.81 reads its input up to a NUL: see handlers/search_query.cpp
  const auto problem = [&](std::string_view what) {
    return core::Problem{"", "target '" + text + "' " + std::string(what)};
  };
  const auto parsed = urls::parse_uri(text);
  if (parsed && parsed->scheme_id() == urls::scheme::https) {
    return problem("uses https, which latencylab load does not support: use http://");
  }
  if (!core::iequals(text.substr(0, 7), "http://")) {
    return problem("must start with http:// (https is not supported)");
  }
  if (!parsed) return problem("is not a valid URL (" + parsed.error().message() + ")");
  if (parsed->has_fragment()) return problem("must not carry a fragment");
  // Boost.URL 1.81 reads "http://h:80x/" as port 80 and path "x/"; RFC 3986 has no such URL.
  if (!parsed->encoded_path().empty() && !parsed->encoded_path().starts_with('/')) {
    return problem("has an invalid port");
  }
  if (parsed->has_userinfo()) return problem("must not carry user information");
  if (parsed->encoded_host().empty()) return problem("has no host");

  const auto port = port_of(*parsed, text);
  if (!port) return port.error();
  const auto address = loopback_address(*parsed);
  if (!address) return address.error();

  TargetAddress target;
  target.endpoint = ip::tcp::endpoint(*address, *port);
  target.host_header = std::string(parsed->encoded_authority());
  target.host = std::string(parsed->encoded_host_address());
  target.path = std::string(parsed->encoded_path());
  if (parsed->has_query()) {
    if (target.path.empty()) target.path = "/";  // "http://h?q" requests "/?q"
    target.path.append("?").append(parsed->encoded_query());
  }
  return target;
}

core::Result<TargetSpec> parse_target_spec(std::string_view spec) {
  TargetSpec target;
  const auto scheme = spec.find("://");
  const auto equals = spec.find('=');
  if (equals != std::string_view::npos && (scheme == std::string_view::npos || equals < scheme)) {
    target.name = std::string(spec.substr(0, equals));
    spec = spec.substr(equals + 1);
  }
  const auto at = spec.rfind('@');
  if (at != std::string_view::npos && separates_rate(spec, at)) {
    const std::string_view rate_text = spec.substr(at + 1);
    double rate = 0;
    const auto [end, ec] =
        std::from_chars(rate_text.data(), rate_text.data() + rate_text.size(), rate);
    if (ec != std::errc{} || end != rate_text.data() + rate_text.size() || rate <= 0) {
      return core::Problem{
          "", "target '" + std::string(spec) + "' has an invalid @RATE (requests per second > 0)"};
    }
    target.rate = rate;
    spec = spec.substr(0, at);
  }
  auto address = parse_target_url(spec);
  if (!address) return address.error();
  target.address = *std::move(address);
  if (target.name.empty()) target.name = target.address.host_header;
  return target;
}

}  // namespace latencylab::loadgen
