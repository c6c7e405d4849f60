// Parsing of load targets and the loopback-only guard.
//
// latencylab load must never send traffic off this machine, so a target is accepted only when its
// host is a literal loopback address (127.0.0.0/8 or ::1) or "localhost" (mapped to 127.0.0.1
// here, never resolved through /etc/hosts or DNS, so no name can redirect traffic elsewhere).
// Only plain http:// is supported.
//
// Target spec on the command line: [NAME=]URL[@RATE], e.g. "prod=http://127.0.0.1:8081@50".
//
//   std::string error;
//   auto target = parse_target_spec("dev=http://localhost:8082@10", error);
//   // target->name == "dev", target->endpoint == 127.0.0.1:8082, target->rate == 10
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace latencylab::loadgen {

struct TargetAddress {
  boost::asio::ip::tcp::endpoint endpoint;
  std::string host_header;  // "127.0.0.1:8081" as sent in the Host header
  std::string base_path;    // "" or "/prefix" (no trailing slash), prepended to every path
};

struct TargetSpec {
  std::string name;  // defaults to the host:port
  TargetAddress address;
  std::optional<double> rate;  // per-target open-model rate, overrides --rate
};

// nullopt and a message naming the problem when the URL is malformed or not loopback.
[[nodiscard]] std::optional<TargetAddress> parse_target_url(std::string_view url,
                                                            std::string& error);
[[nodiscard]] std::optional<TargetSpec> parse_target_spec(std::string_view spec,
                                                          std::string& error);

// Defence in depth at connect time: true only for 127.0.0.0/8 and ::1 (and v4-mapped loopback).
[[nodiscard]] bool is_loopback(const boost::asio::ip::address& address) noexcept;

}  // namespace latencylab::loadgen
