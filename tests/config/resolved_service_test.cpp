#include "config/resolved_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/config_loader.hpp"
#include "config_error.hpp"

namespace latencylab::config {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// A graph file in the test's temp dir, removed afterwards.
class GraphFile {
 public:
  explicit GraphFile(const std::string& contents) {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(::testing::TempDir()) /
            (std::string("latencylab_graph_") + test->name() + ".json");
    std::ofstream(path_) << contents;
  }
  ~GraphFile() { std::filesystem::remove(path_); }
  GraphFile(const GraphFile&) = delete;
  GraphFile& operator=(const GraphFile&) = delete;

  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// front calls orders, which has a url, and payments, which has none.
constexpr const char* kChain = R"({"services": {
  "front": {"url": "http://127.0.0.1:9101",
            "downstreams": {"orders_api": {"service": "orders"}, "pay": {"service": "payments"}}},
  "orders": {"url": "http://127.0.0.1:9102"},
  "payments": {}}})";

std::string resolve_error(const Config& config) {
  return config_error([&] { (void)resolve_service(config); });
}

TEST(ResolveService, DefaultsToTheBuiltInGraphsOnlyService) {
  const ResolvedService resolved = resolve_service(default_config());
  EXPECT_EQ(resolved.service().name, "latencylab");
  EXPECT_EQ(resolved.service().routes.size(), 8u);
  EXPECT_TRUE(resolved.downstream_urls.empty());
}

TEST(ResolveService, PicksTheNamedServiceAndItsDownstreamUrlsWithPeersApplied) {
  const GraphFile file(kChain);
  Config config = default_config();
  config.graph = file.path();
  config.service = "front";
  config.peers = {"payments=http://payments:9104", "orders=http://127.0.0.1:9202"};
  const ResolvedService resolved = resolve_service(config);
  EXPECT_EQ(resolved.service().name, "front");
  EXPECT_EQ(resolved.downstream_urls.at("orders_api"), "http://127.0.0.1:9202");
  EXPECT_EQ(resolved.downstream_urls.at("pay"), "http://payments:9104");
  EXPECT_EQ(resolved.graph.service("orders").url, "http://127.0.0.1:9202")
      << "a peer replaces the graph's url";
}

TEST(ResolveService, SeveralServicesNeedAChoice) {
  const GraphFile file(kChain);
  Config config = default_config();
  config.graph = file.path();
  EXPECT_THAT(resolve_error(config),
              AllOf(HasSubstr("service: graph file \"" + file.path() +
                              "\" has several services (front, orders, payments)"),
                    HasSubstr("--service NAME or LATENCYLAB_SERVICE")));
}

TEST(ResolveService, UnknownServiceListsTheServices) {
  Config config = default_config();
  config.service = "orders";
  EXPECT_THAT(resolve_error(config),
              HasSubstr("service: no service \"orders\" in the built-in graph "
                        "config/graphs/default.json (services: latencylab)"));
}

TEST(ResolveService, PeerMustNameAServiceOfTheGraph) {
  Config config = default_config();
  config.peers = {"orders=http://127.0.0.1:9102"};
  EXPECT_THAT(resolve_error(config),
              HasSubstr("peers: \"orders=http://127.0.0.1:9102\" names no service of the built-in "
                        "graph config/graphs/default.json (services: latencylab)"));
}

TEST(ResolveService, DownstreamWithoutUrlNeedsAPeer) {
  const GraphFile file(kChain);
  Config config = default_config();
  config.graph = file.path();
  config.service = "front";
  EXPECT_THAT(resolve_error(config),
              HasSubstr("services.front.downstreams.pay: service \"payments\" has no url in graph "
                        "file \"" +
                        file.path() + "\"; give one with --peer payments=http://host:port"));
}

TEST(ResolveService, GraphFileProblemsNameTheFile) {
  const GraphFile file(R"({"services": {"a": {"databases": {"db": {"pool_size": 0}}}}})");
  Config config = default_config();
  config.graph = file.path();
  EXPECT_THAT(resolve_error(config),
              HasSubstr("graph file \"" + file.path() +
                        "\": services.a.databases.db.pool_size: must be at least 1 (got 0)"));
}

}  // namespace
}  // namespace latencylab::config
