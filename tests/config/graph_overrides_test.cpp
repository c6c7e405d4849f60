#include "config/graph_overrides.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "config/config_loader.hpp"
#include "config/graph_file.hpp"
#include "config/json_text.hpp"
#include "config/resolved_service.hpp"
#include "config_error.hpp"

namespace latencylab::config {
namespace {

using ::testing::HasSubstr;

// The default graph's GET /api/users: a cache step, then a 5% fail step.
constexpr const char* kUsersFail = "services.latencylab.routes[0].steps[1].fail";

std::string override_error(boost::json::value document, const std::string& entry) {
  return config_error([&] { apply_graph_overrides(document, {entry}); });
}

std::string resolve_error(const Config& config) {
  return config_error([&] { (void)resolve_service(config); });
}

boost::json::value default_document() {
  return parse_json_text(default_graph_text(), "built-in graph");
}

TEST(GraphOverrides, ChangeTheValuesTheServiceRunsWith) {
  Config config = default_config();
  config.graph_overrides = {std::string(kUsersFail) + ".probability=0.4",
                            std::string(kUsersFail) + ".what=flaky users"};
  const ResolvedService resolved = resolve_service(config);
  const auto& fail = std::get<FailStep>(resolved.service().routes.at(0).steps.at(1).action);
  EXPECT_EQ(fail.probability, 0.4);
  EXPECT_EQ(fail.what, "flaky users");
  EXPECT_EQ(fail.status, 500) << "a value no override names keeps the graph's";
}

TEST(GraphOverrides, ApplyInOrderSoTheLastOneWins) {
  boost::json::value document = default_document();
  apply_graph_overrides(document, {std::string(kUsersFail) + ".probability=0.3",
                                   std::string(kUsersFail) + ".probability=0"});
  const Graph graph = parse_graph(document, "overridden");
  EXPECT_EQ(std::get<FailStep>(graph.services.at(0).routes.at(0).steps.at(1).action).probability,
            0.0);
}

TEST(GraphOverrides, MayReplaceAWholeObjectWithJson) {
  boost::json::value document = default_document();
  apply_graph_overrides(
      document, {R"(services.latencylab.routes[3].steps[0].delay={"fixed":{"value_ms":7}})"});
  const Graph graph = parse_graph(document, "overridden");
  const auto& delay = std::get<DelayStep>(graph.services.at(0).routes.at(3).steps.at(0).action);
  EXPECT_EQ(delay.latency.distribution, sim::Distribution::fixed);
  EXPECT_EQ(delay.latency.value_ms, 7.0);
}

TEST(GraphOverrides, APathThatNamesNothingNamesWhatExistsThere) {
  EXPECT_THAT(override_error(default_document(), "services.orders.url=http://127.0.0.1:1"),
              HasSubstr(R"(graph_overrides: "services.orders.url=http://127.0.0.1:1": )"
                        "services.orders names nothing: services has: latencylab"));
  EXPECT_THAT(override_error(default_document(), std::string(kUsersFail) + ".probabilty=0.2"),
              HasSubstr(std::string(kUsersFail) + ".probabilty names nothing: " + kUsersFail +
                        " has: probability, status, what"));
  EXPECT_THAT(override_error(default_document(), "services.latencylab.routes[8].timeout_ms=5"),
              HasSubstr("services.latencylab.routes[8] names nothing: "
                        "services.latencylab.routes has [0] to [7]"));
  EXPECT_THAT(override_error(default_document(), "services.latencylab.url[0]=1"),
              HasSubstr("services.latencylab.url[0] names nothing: services.latencylab.url is a "
                        "string"));
  EXPECT_THAT(override_error(default_document(), "graph=1"),
              HasSubstr("graph names nothing: the graph has: description, services"));
}

TEST(GraphOverrides, RejectPathsThatDoNotParse) {
  EXPECT_THAT(override_error(default_document(), "services..latencylab=1"),
              HasSubstr(R"(expected a key at ".latencylab")"));
  EXPECT_THAT(override_error(default_document(), "services.latencylab.routes[x].path=/"),
              HasSubstr("expected an index such as [0] at \"[x].path\""));
  EXPECT_THAT(override_error(default_document(), "services.latencylab.routes[0]path=/"),
              HasSubstr(R"(expected '.' or '[' at "path")"));
  EXPECT_THAT(override_error(default_document(), "no-equals-sign"), HasSubstr("path=value"));
}

TEST(GraphOverrides, TheOverriddenGraphIsValidatedNamingTheOverrides) {
  Config config = default_config();
  config.graph_overrides = {std::string(kUsersFail) + ".probability=1.5"};
  const std::string error = resolve_error(config);
  EXPECT_THAT(error, HasSubstr("with graph_overrides"));
  EXPECT_THAT(error, HasSubstr(std::string(kUsersFail) + ".probability"));
}

}  // namespace
}  // namespace latencylab::config
