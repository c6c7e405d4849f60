// validate(): the rules a loaded Config must satisfy. The walker supplies each struct with its key;
// the rules are chosen by the struct's type.
#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <concepts>
#include <string>
#include <utility>
#include <vector>

#include "config/config_loader.hpp"
#include "config/described_json.hpp"
#include "config/graph_file.hpp"
#include "core/log.hpp"

namespace latencylab::config {
namespace {

using detail::join_key;

// Far beyond any demo (1000 turns a 5 s endpoint into 83 minutes); larger is surely a typo.
constexpr double kMaxTimeScale = 1000.0;

template <class T>
std::string shown(const T& value) {
  return detail::show(detail::write_value(value));
}

bool is_probability(double value) {
  return value >= 0.0 && value <= 1.0;
}

// Collects every broken rule, so one failed start reports all of them.
class Problems {
 public:
  void require(bool ok, std::string_view key, const auto& value, std::string_view rule) {
    if (ok) return;
    lines_.push_back(std::string(key) + " = " + shown(value) + ": " + std::string(rule));
  }

  void throw_if_any() const {
    if (lines_.empty()) return;
    std::string message = "invalid configuration: ";
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      if (i > 0) message += "; ";
      message += lines_[i];
    }
    throw ConfigError(message);
  }

 private:
  std::vector<std::string> lines_;
};

void check_server(Problems& problems, std::string_view key, const ServerConfig& server) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(server.address, ec);
  problems.require(!ec, join_key(key, "address"), server.address,
                   "must be an IPv4 or IPv6 address such as \"127.0.0.1\" or \"0.0.0.0\"");
  problems.require(server.port <= 65535, join_key(key, "port"), server.port,
                   "must be a TCP port in [0, 65535] (0 picks a free port)");
  // retry_after_s may be 0 ("retry now"); every limit and timeout must let something through.
  const std::pair<std::string_view, std::uint32_t> must_be_positive[] = {
      {"max_connections", server.max_connections},
      {"header_limit_bytes", server.header_limit_bytes},
      {"body_limit_bytes", server.body_limit_bytes},
      {"header_timeout_ms", server.header_timeout_ms},
      {"body_timeout_ms", server.body_timeout_ms},
      {"idle_timeout_ms", server.idle_timeout_ms},
      {"write_timeout_ms", server.write_timeout_ms},
      {"drain_timeout_ms", server.drain_timeout_ms},
  };
  for (const auto& [name, value] : must_be_positive) {
    problems.require(value > 0, join_key(key, name), value, "must be greater than 0");
  }
}

void check_log(Problems& problems, std::string_view key, const LogConfig& log) {
  problems.require(core::log::parse_level(log.level).has_value(), join_key(key, "level"), log.level,
                   "must be one of \"debug\", \"info\", \"warn\", \"error\"");
  problems.require(is_probability(log.access_log_sample_rate),
                   join_key(key, "access_log_sample_rate"), log.access_log_sample_rate,
                   "must be a probability in [0, 1]");
}

// service and peers name services of the graph, which is read later (resolve_service): here only
// their form is checked.
void check_service_choice(Problems& problems, const Config& config) {
  problems.require(config.service.empty() || is_service_name(config.service), "service",
                   config.service, "must be a service name: lower-case letters, digits, '_', '-'");
  std::vector<std::string_view> peer_names;
  for (const auto& peer : config.peers) {
    const auto equals = peer.find('=');
    const std::string_view name = std::string_view(peer).substr(0, equals);
    const bool has_form = equals != std::string::npos && is_service_name(name);
    problems.require(has_form, "peers", peer, "must be name=http://host:port");
    if (!has_form) continue;
    const auto url_problem = service_url_problem(std::string_view(peer).substr(equals + 1));
    problems.require(!url_problem, "peers", peer, url_problem.value_or(""));
    problems.require(std::find(peer_names.begin(), peer_names.end(), name) == peer_names.end(),
                     "peers", peer, "names a service that an earlier entry names already");
    peer_names.push_back(name);
  }
}

}  // namespace

void validate(const Config& config) {
  Problems problems;
  problems.require(config.time_scale > 0.0 && config.time_scale <= kMaxTimeScale, "time_scale",
                   config.time_scale, "must be in (0, 1000]");
  check_service_choice(problems, config);
  // What each path names is checked against the graph, once it is read (resolve_service).
  for (const auto& entry : config.graph_overrides) {
    const auto equals = entry.find('=');
    problems.require(equals != std::string::npos && equals > 0, "graph_overrides", entry,
                     "must be path=value, as services.orders.databases.orders_db.pool_size=2");
  }
  detail::for_each_struct(config, "", [&](const std::string& key, const auto& node) {
    using Node = std::remove_cvref_t<decltype(node)>;
    if constexpr (std::same_as<Node, ServerConfig>) check_server(problems, key, node);
    if constexpr (std::same_as<Node, LogConfig>) check_log(problems, key, node);
  });
  problems.throw_if_any();
}

}  // namespace latencylab::config
