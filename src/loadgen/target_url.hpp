// Parsing of load targets and the loopback-only guard.
//
// latencylab load must never send traffic off this machine, so a target is accepted only when its
// host is a literal loopback address (127.0.0.0/8 or ::1) or "localhost" (mapped to 127.0.0.1
// here, never resolved through /etc/hosts or DNS, so no name can redirect traffic elsewhere).
// Only plain http:// is supported. URLs are parsed by Boost.URL; this file adds only that policy
// (http, loopback, no fragment or user information). What the URL's path means (the request
// itself, or a prefix of a scenario's paths) is decided by build_run_plan().
//
// Target spec on the command line: [NAME=]URL[@RATE], e.g. "prod=http://127.0.0.1:8081@50". An
// '@' in the URL's path or query ("/search?q=a@b") belongs to the URL unless a number follows it.
//
//   auto target = parse_target_spec("dev=http://localhost:8082@10");
//   // target->name == "dev", target->address.endpoint == 127.0.0.1:8082, target->rate == 10,
//   // target->address.path == "" (a URL without a path)
//   // or target.error().message, e.g. "refusing target host '10.0.0.1': ... only sends to
//   loopback"
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace latencylab::loadgen {

struct TargetAddress {
  boost::asio::ip::tcp::endpoint endpoint;
  std::string host_header;  // "127.0.0.1:8081" as sent in the Host header
  std::string host;         // "127.0.0.1", "localhost", "::1": the URL's host (server.address)
  std::string path;         // path and query as written: "", "/", "/search?q=x"; see the banner
};

struct TargetSpec {
  std::string name;  // defaults to the host:port
  TargetAddress address;
  std::optional<double> rate;  // per-target open-model rate, overrides --rate
};

// A Problem quoting the URL when it is malformed, not http or not loopback.
[[nodiscard]] core::Result<TargetAddress> parse_target_url(std::string_view url);
[[nodiscard]] core::Result<TargetSpec> parse_target_spec(std::string_view spec);

// Defence in depth at connect time: true only for 127.0.0.0/8 and ::1 (and v4-mapped loopback).
[[nodiscard]] bool is_loopback(const boost::asio::ip::address& address) noexcept;

}  // namespace latencylab::loadgen
