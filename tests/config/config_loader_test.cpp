#include "config/config_loader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "config_equality.hpp"
#include "config_error.hpp"
#include "core/json_writer.hpp"

namespace latencylab::config {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// A config file in the test's temp dir, removed afterwards.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(::testing::TempDir()) /
            (std::string("latencylab_") + test->name() + ".json");
    std::ofstream(path_) << contents;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// An environment the test controls instead of the process's.
class FakeEnvironment {
 public:
  FakeEnvironment(std::initializer_list<std::pair<const std::string, std::string>> variables)
      : variables_(variables) {}

  // Sources reading this environment, including the unknown-variable check.
  [[nodiscard]] ConfigSources sources(std::string file = {},
                                      std::vector<std::string> overrides = {}) const {
    std::vector<std::string> names;
    for (const auto& [name, value] : variables_) names.push_back(name);
    return ConfigSources{.file = std::move(file),
                         .getenv =
                             [this](const char* name) {
                               const auto it = variables_.find(name);
                               return it == variables_.end() ? nullptr : it->second.c_str();
                             },
                         .environment_names = std::move(names),
                         .overrides = std::move(overrides)};
  }

 private:
  std::map<std::string, std::string> variables_;
};

// The ConfigError message load_config throws, or "" when it does not throw.
std::string load_error(const ConfigSources& sources) {
  return config_error([&] { (void)load_config(sources); });
}

std::string file_error(const std::string& contents) {
  const TempFile file(contents);
  return load_error({.file = file.path()});
}

TEST(ConfigLoader, NoSourcesGiveTheDefaults) {
  const Config loaded = load_config({});
  EXPECT_TRUE(loaded == default_config()) << as_text(loaded);
}

TEST(ConfigLoader, FileChangesOnlyTheKeysItNames) {
  const TempFile file(R"({"server": {"port": 9090}, "log": {"access_log": true}})");
  const Config loaded = load_config({.file = file.path()});

  Config expected = default_config();
  expected.server.port = 9090;
  expected.log.access_log = true;
  EXPECT_TRUE(loaded == expected) << as_text(loaded);
}

TEST(ConfigLoader, FileMayHaveCommentsAndTrailingCommas) {
  const TempFile file(R"({
    // demo: a tenth of the real latencies
    "time_scale": 0.1, /* block comments too */
    "log": {"level": "debug",},
  })");
  const Config loaded = load_config({.file = file.path()});
  EXPECT_EQ(loaded.time_scale, 0.1);
  EXPECT_EQ(loaded.log.level, "debug");
}

TEST(ConfigLoader, EnvironmentOverridesFileAndSetOverridesEnvironment) {
  const TempFile file(R"({"server": {"port": 1000, "max_connections": 10}})");
  const FakeEnvironment environment{{"LATENCYLAB_SERVER__PORT", "2000"}};

  EXPECT_EQ(load_config({.file = file.path()}).server.port, 1000U);

  const Config with_environment = load_config(environment.sources(file.path()));
  EXPECT_EQ(with_environment.server.port, 2000U);
  EXPECT_EQ(with_environment.server.max_connections, 10U) << "keys the environment leaves alone";

  const Config with_override = load_config(environment.sources(file.path(), {"server.port=3000"}));
  EXPECT_EQ(with_override.server.port, 3000U);
  EXPECT_EQ(with_override.server.max_connections, 10U);
}

TEST(ConfigLoader, GraphServiceAndPeersComeFromTheEnvironment) {
  const FakeEnvironment environment{
      {"LATENCYLAB_GRAPH", "config/graphs/shop.json"},
      {"LATENCYLAB_SERVICE", "frontend"},
      {"LATENCYLAB_PEERS", "orders=http://127.0.0.1:9102,payments=http://payments:9104"}};
  const Config loaded = load_config(environment.sources());
  EXPECT_EQ(loaded.graph, "config/graphs/shop.json");
  EXPECT_EQ(loaded.service, "frontend");
  EXPECT_EQ(loaded.peers, (std::vector<std::string>{"orders=http://127.0.0.1:9102",
                                                    "payments=http://payments:9104"}));

  const FakeEnvironment as_json{{"LATENCYLAB_PEERS", R"(["orders=http://127.0.0.1:9102"])"}};
  EXPECT_EQ(load_config(as_json.sources()).peers,
            (std::vector<std::string>{"orders=http://127.0.0.1:9102"}));
  const FakeEnvironment empty{{"LATENCYLAB_PEERS", ""}};
  EXPECT_TRUE(load_config(empty.sources()).peers.empty());
}

TEST(ConfigLoader, ReadsGraphOverridesFromTheEnvironmentKeepingCommasInsideJsonValues) {
  const FakeEnvironment environment{
      {"LATENCYLAB_GRAPH_OVERRIDES",
       R"(services.orders.databases.orders_db.pool_size=2,)"
       R"(services.payments.routes[0].steps[1].delay={"uniform":{"min_ms":1,"max_ms":2}})"}};
  EXPECT_EQ(
      load_config(environment.sources()).graph_overrides,
      (std::vector<std::string>{
          "services.orders.databases.orders_db.pool_size=2",
          R"(services.payments.routes[0].steps[1].delay={"uniform":{"min_ms":1,"max_ms":2}})"}));
  const FakeEnvironment without_path{{"LATENCYLAB_GRAPH_OVERRIDES", "=0.2"}};
  EXPECT_THAT(load_error(without_path.sources()),
              HasSubstr(R"(graph_overrides = "=0.2": must be path=value)"));
}

TEST(ConfigLoader, PeersMustBeNameEqualsHttpUrl) {
  const auto peers_error = [](const char* peers) {
    const FakeEnvironment environment{{"LATENCYLAB_PEERS", peers}};
    return load_error(environment.sources());
  };
  EXPECT_THAT(peers_error("orders"),
              HasSubstr(R"(peers = "orders": must be name=http://host:port)"));
  EXPECT_THAT(peers_error("Orders=http://127.0.0.1:1"),
              HasSubstr(R"(peers = "Orders=http://127.0.0.1:1": must be name=http://host:port)"));
  EXPECT_THAT(peers_error("orders=https://127.0.0.1:1"),
              HasSubstr(R"(peers = "orders=https://127.0.0.1:1": expected http://host:port)"));
  EXPECT_THAT(peers_error("orders=http://127.0.0.1:1,orders=http://127.0.0.1:2"),
              HasSubstr("names a service that an earlier entry names already"));
  EXPECT_THAT(load_error({.overrides = {"service=Front End"}}),
              HasSubstr(R"(service = "Front End": must be a service name)"));
}

TEST(ConfigLoader, LaterOverridesWin) {
  const Config loaded = load_config({.overrides = {"seed=1", "seed=2"}});
  EXPECT_EQ(loaded.seed, 2U);
}

TEST(ConfigLoader, EveryLeafKeyHasAnEnvironmentVariable) {
  const FakeEnvironment environment{
      {"LATENCYLAB_SEED", "18446744073709551615"},
      {"LATENCYLAB_TIME_SCALE", "0.25"},
      {"LATENCYLAB_PEERS", R"(["orders=http://127.0.0.1:1"])"},
      {"LATENCYLAB_LOG__ACCESS_LOG_SAMPLE_RATE", "0.5"},
      {"LATENCYLAB_SERVER__ADDRESS", "::1"},
      {"LATENCYLAB_SERVER__WRITE_TIMEOUT_MS", "2500"},
      {"LATENCYLAB_LOG__ACCESS_LOG", "true"},
      {"LATENCYLAB_CONFIG", "not/a/key/but/the/file/path.json"},
      {"OTEL_SERVICE_NAME", "other prefixes are not ours"},
  };
  const Config loaded = load_config(environment.sources());
  EXPECT_EQ(loaded.seed, 18446744073709551615ULL);
  EXPECT_EQ(loaded.time_scale, 0.25);
  EXPECT_EQ(loaded.peers, (std::vector<std::string>{"orders=http://127.0.0.1:1"}));
  EXPECT_EQ(loaded.log.access_log_sample_rate, 0.5);
  EXPECT_EQ(loaded.server.address, "::1");
  EXPECT_EQ(loaded.server.write_timeout_ms, 2500u);
  EXPECT_TRUE(loaded.log.access_log);
}

TEST(ConfigLoader, StringKeysTakeEnvironmentTextVerbatim) {
  // "\"debug\"" parses as JSON, but a string key must not reinterpret it: the quotes stay, and
  // validation then rejects the level, showing exactly what was received.
  const FakeEnvironment environment{{"LATENCYLAB_LOG__LEVEL", R"("debug")"}};
  EXPECT_THAT(load_error(environment.sources()), HasSubstr(R"(log.level = "\"debug\"")"));
}

TEST(ConfigLoader, UnknownLatencylabVariableIsAnErrorNamingIt) {
  const FakeEnvironment environment{{"LATENCYLAB_SERVER__PROT", "80"}};
  EXPECT_THAT(load_error(environment.sources()),
              AllOf(HasSubstr("environment variable LATENCYLAB_SERVER__PROT"),
                    HasSubstr("server.prot: unknown key (keys in server: address, port,")));
  const FakeEnvironment object{{"LATENCYLAB_SERVER", "{}"}};
  EXPECT_THAT(load_error(object.sources()),
              HasSubstr("LATENCYLAB_SERVER: server: is an object, and variables set single keys"));
}

TEST(ConfigLoader, EnvironmentErrorNamesTheVariableAndTheKey) {
  const FakeEnvironment environment{{"LATENCYLAB_SERVER__PORT", "http"}};
  EXPECT_THAT(
      load_error(environment.sources()),
      AllOf(HasSubstr("environment variable LATENCYLAB_SERVER__PORT"), HasSubstr("server.port"),
            HasSubstr("expected an integer"), HasSubstr(R"(got "http")")));
}

TEST(ConfigLoader, OverrideCanSetAWholeObject) {
  const Config loaded =
      load_config({.overrides = {R"(log={"level": "debug", "access_log_sample_rate": 0.5})"}});
  EXPECT_EQ(loaded.log.level, "debug");
  EXPECT_EQ(loaded.log.access_log_sample_rate, 0.5);
  EXPECT_FALSE(loaded.log.access_log) << "keys not given keep their value";
}

TEST(ConfigLoader, OverrideErrorsSayTheyCameFromSet) {
  EXPECT_THAT(load_error({.overrides = {"log.levle=info"}}),
              AllOf(HasSubstr(R"(--set "log.levle=info")"),
                    HasSubstr("log.levle: unknown key (keys in log: level, access_log, "
                              "access_log_sample_rate)")));
  EXPECT_THAT(load_error({.overrides = {"server.port=abc"}}),
              AllOf(HasSubstr(R"(--set "server.port=abc")"), HasSubstr("server.port: expected")));
  EXPECT_THAT(load_error({.overrides = {"server.port"}}), HasSubstr("expected dotted.key=value"));
  EXPECT_THAT(load_error({.overrides = {"seed.low=1"}}),
              HasSubstr("seed.low: unknown key (top-level keys: seed, time_scale, graph, service, "
                        "peers, graph_overrides, server, log)"));
}

TEST(ConfigLoader, UnknownFileKeyNamesTheFullKeyTheFileAndTheKnownKeys) {
  const TempFile file(R"({"server": {"prot": 80}})");
  EXPECT_THAT(
      load_error({.file = file.path()}),
      AllOf(HasSubstr("config file \"" + file.path() + "\""), HasSubstr("server.prot: unknown key"),
            HasSubstr("keys in server: address, port, max_connections")));
}

// The endpoints.* keys became the service graph: each way of giving one names where it went.
TEST(ConfigLoader, EndpointKeysNameWhereTheyMovedInTheGraph) {
  EXPECT_THAT(file_error(R"({"seed": 1, "endpoints": {"slow": {"error_rate": 0.1}}})"),
              AllOf(HasSubstr("config file"),
                    HasSubstr("endpoints.slow.error_rate: moved to the service graph: "
                              "services.latencylab.routes[3] (GET /api/slow) in "
                              "config/graphs/default.json"),
                    HasSubstr("--graph (LATENCYLAB_GRAPH); see docs/GRAPHS.md")));
  EXPECT_THAT(load_error({.overrides = {"endpoints.payments.currencies=USD"}}),
              AllOf(HasSubstr(R"(--set "endpoints.payments.currencies=USD")"),
                    HasSubstr("endpoints.payments.currencies: moved to the service graph: "
                              "services.latencylab.business.currencies")));
  const FakeEnvironment environment{{"LATENCYLAB_ENDPOINTS__USERS__CACHE__HIT_RATE", "0.9"}};
  EXPECT_THAT(load_error(environment.sources()),
              AllOf(HasSubstr("environment variable LATENCYLAB_ENDPOINTS__USERS__CACHE__HIT_RATE"),
                    HasSubstr("endpoints.users.cache.hit_rate: moved to the service graph: "
                              "services.latencylab.caches.users")));
  const FakeEnvironment route{{"LATENCYLAB_ENDPOINTS__ORDERS_GET__LATENCY__MAX_MS", "9"}};
  EXPECT_THAT(load_error(route.sources()),
              HasSubstr("services.latencylab.routes[2] (GET /api/orders/{id})"));
  EXPECT_THAT(file_error(R"({"endpoints": {}})"),
              HasSubstr("endpoints: moved to the service graph: services.latencylab.routes in"));
}

TEST(ConfigLoader, WrongTypeNamesTheKeyAndTheExpectedType) {
  EXPECT_THAT(file_error(R"({"server": {"port": "80"}})"),
              AllOf(HasSubstr("server.port: expected an integer in [0, 4294967295]"),
                    HasSubstr(R"(got "80")")));
  EXPECT_THAT(file_error(R"({"time_scale": "fast"})"),
              HasSubstr(R"(time_scale: expected a finite number, got "fast")"));
  EXPECT_THAT(file_error(R"({"log": {"access_log": 1}})"),
              HasSubstr("log.access_log: expected true or false, got 1"));
  EXPECT_THAT(file_error(R"({"server": {"address": 127}})"),
              HasSubstr("server.address: expected a string, got 127"));
  EXPECT_THAT(file_error(R"({"peers": "orders=http://127.0.0.1:1"})"),
              HasSubstr("peers: expected an array of strings"));
  EXPECT_THAT(file_error(R"({"peers": ["orders=http://127.0.0.1:1", 3]})"),
              HasSubstr("got the element 3"));
  EXPECT_THAT(file_error(R"({"server": 8080})"), HasSubstr("server: expected an object, got 8080"));
  EXPECT_THAT(file_error(R"({"server": {"port": 80.5}})"),
              HasSubstr("server.port: expected an integer"));
}

TEST(ConfigLoader, IntegersOutOfRangeForTheFieldAreErrors) {
  EXPECT_THAT(file_error(R"({"server": {"port": -1}})"),
              HasSubstr("server.port: expected an integer in [0, 4294967295], got -1"));
  EXPECT_THAT(file_error(R"({"server": {"max_connections": 4294967296}})"),
              HasSubstr("server.max_connections: expected an integer"));
  EXPECT_THAT(file_error(R"({"seed": -1})"),
              HasSubstr("seed: expected an integer in [0, 18446744073709551615]"));
}

TEST(ConfigLoader, NonFiniteNumbersAreErrors) {
  EXPECT_THAT(file_error(R"({"time_scale": 1e999})"),
              HasSubstr("time_scale: expected a finite number"));
}

TEST(ConfigLoader, InvalidJsonNamesTheFileAndThePosition) {
  const TempFile file("{\n  \"seed\": ,\n}");
  EXPECT_THAT(load_error({.file = file.path()}),
              AllOf(HasSubstr(file.path()), HasSubstr("invalid JSON at line 2, column 11")));
}

TEST(ConfigLoader, MissingFileIsAnErrorNamingIt) {
  EXPECT_THAT(load_error({.file = "/nonexistent/latencylab.json"}),
              AllOf(HasSubstr("/nonexistent/latencylab.json"), HasSubstr("cannot open")));
}

TEST(ConfigLoader, TopLevelMustBeAnObject) {
  EXPECT_THAT(file_error("[1, 2]"), HasSubstr("expected an object, got [1,2]"));
}

TEST(ConfigLoader, LoadedConfigIsValidated) {
  EXPECT_THAT(load_error({.overrides = {"log.access_log_sample_rate=2"}}),
              HasSubstr("log.access_log_sample_rate = 2: must be a probability in [0, 1]"));
}

TEST(ConfigLoader, ToJsonRoundTripsThroughTheLoader) {
  // Non-default values everywhere the types differ: enum, uint64, fractions, strings, arrays.
  const Config changed =
      load_config({.overrides = {
                       "seed=18446744073709551615",
                       "time_scale=0.125",
                       "server.address=::1",
                       "server.port=0",
                       "log.level=warn",
                       "log.access_log=true",
                       "log.access_log_sample_rate=0.333",
                       "graph=config/graphs/shop.json",
                       "service=orders",
                       R"(peers=["payments=http://127.0.0.1:9104","inventory=http://[::1]:9103"])",
                   }});
  const TempFile file(core::json::serialize(to_json(changed)));
  const Config reloaded = load_config({.file = file.path()});
  EXPECT_TRUE(reloaded == changed) << as_text(reloaded) << "\n" << as_text(changed);
  EXPECT_FALSE(reloaded == default_config()) << "the round trip must carry non-default values";
}

TEST(ConfigLoader, ToJsonNamesEveryKeyWithReadableValues) {
  const boost::json::value json = to_json(default_config());
  EXPECT_EQ(json.at("server").at("header_timeout_ms"), 10000);
  EXPECT_NE(core::json::serialize(json).find(R"("time_scale":1,)"), std::string::npos)
      << "whole numbers are written as integers";
  EXPECT_EQ(json.at("graph"), "");
  EXPECT_EQ(json.at("peers"), boost::json::array{});
}

}  // namespace
}  // namespace latencylab::config
