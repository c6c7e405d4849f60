#include "loadgen/scenario.hpp"

#include <gtest/gtest.h>

namespace latencylab::loadgen {
namespace {

TEST(Scenario, BuiltInDemoMatchesTheOriginalPlan) {
  const auto demo = load_scenario("demo");
  ASSERT_TRUE(demo.has_value()) << demo.error().message;
  ASSERT_EQ(demo->endpoints.size(), 4u);
  EXPECT_EQ(demo->endpoints[0].path, "/health");
  EXPECT_EQ(demo->endpoints[0].weight, 50u);
  EXPECT_EQ(demo->endpoints[1].path, "/api/users");
  EXPECT_EQ(demo->endpoints[1].weight, 30u);
  EXPECT_EQ(demo->endpoints[2].method, "POST");
  EXPECT_EQ(demo->endpoints[2].generator, BodyGenerator::order);
  EXPECT_EQ(demo->endpoints[2].weight, 15u);
  EXPECT_EQ(demo->endpoints[3].path, "/api/slow");
  EXPECT_EQ(demo->endpoints[3].weight, 5u);
}

TEST(Scenario, EveryBuiltInParsesAndDataplanesHasThreeTargets) {
  for (auto name : builtin_scenario_names()) {
    const auto scenario = load_scenario(name);
    EXPECT_TRUE(scenario.has_value()) << name << ": " << scenario.error().message;
  }
  const auto planes = load_scenario("dataplanes");
  ASSERT_TRUE(planes.has_value());
  ASSERT_EQ(planes->targets.size(), 3u);
  EXPECT_EQ(planes->targets[0].name, "prod");
  EXPECT_EQ(planes->targets[0].rate, 50.0);
  EXPECT_FALSE(planes->targets[1].stages.empty());
}

TEST(Scenario, BuiltInShopChecksOutThroughTheShopFrontend) {
  const auto shop = load_scenario("shop");
  ASSERT_TRUE(shop.has_value()) << shop.error().message;
  ASSERT_EQ(shop->endpoints.size(), 3u);
  const auto& checkout = shop->endpoints[0];
  EXPECT_EQ(checkout.method, "POST");
  EXPECT_EQ(checkout.path, "/api/checkout");
  EXPECT_EQ(checkout.generator, BodyGenerator::checkout);
  EXPECT_EQ(checkout.expected_statuses, (std::vector<unsigned>{201, 402}))
      << "a declined payment passes through as 402; 5xx are errors";
  EXPECT_EQ(shop->endpoints[1].path, "/api/catalog");
  EXPECT_EQ(shop->endpoints[2].path, "/api/about");
  ASSERT_EQ(shop->targets.size(), 1u);
  EXPECT_EQ(shop->targets[0].url, "http://127.0.0.1:8101") << "scripts/stack.sh's frontend port";
}

TEST(Scenario, PaymentsExpectDeclinesInEveryBuiltInThatHasThem) {
  for (const auto name : {"storefront", "dataplanes"}) {
    const auto scenario = load_scenario(name);
    ASSERT_TRUE(scenario.has_value()) << name;
    const auto& payments = scenario->endpoints.back();
    ASSERT_EQ(payments.name, "payments") << name;
    EXPECT_EQ(payments.expected_statuses, (std::vector<unsigned>{201, 402})) << name;
    EXPECT_TRUE(scenario->endpoints.front().expected_statuses.empty()) << name << ": 2xx/3xx";
  }
}

TEST(Scenario, RejectsMalformedScenariosWithAReason) {
  struct Case {
    const char* json;
    const char* mentions;
  };
  for (const auto& c :
       {Case{"{", "invalid JSON"}, Case{"{}", "endpoints"},
        Case{R"({"endpoints":[{"path":"health"}]})", "path"},
        Case{R"({"endpoints":[{"path":"/a","weight":0}]})", "add up to 0"},
        Case{R"({"endpoints":[{"path":"/a","generate":"cat"}]})", "generator"},
        Case{R"({"endpoints":[{"path":"/a","weight":-1}]})", "weight"},
        // Beyond int64: threw from Boost.JSON until fuzzing found it.
        Case{R"({"endpoints":[{"path":"/a","weight":9223372036854775808}]})", "weight"},
        Case{R"({"endpoints":[{"path":"/a"}],"targets":[{"name":"x"}]})", "url"},
        Case{R"({"endpoints":[{"path":"/a","expected_statuses":[]}]})", "expected_statuses"},
        Case{R"({"endpoints":[{"path":"/a","expected_statuses":200}]})", "expected_statuses"},
        Case{R"({"endpoints":[{"path":"/a","expected_statuses":[200,"201"]}]})", "[100, 599]"},
        Case{R"({"endpoints":[{"path":"/a","expected_statuses":[99]}]})", "[100, 599]"},
        Case{R"({"endpoints":[{"path":"/a","expected_statuses":[600]}]})", "[100, 599]"},
        Case{R"({"endpoints":[{"path":"/a","expected_statuses":[2.5]}]})", "[100, 599]"}}) {
    const auto scenario = parse_scenario_json(c.json);
    ASSERT_FALSE(scenario.has_value()) << c.json;
    EXPECT_NE(scenario.error().message.find(c.mentions), std::string::npos)
        << c.json << " -> " << scenario.error().message;
  }
  EXPECT_EQ(load_scenario("/nonexistent/scenario.json").error().message,
            "scenario '/nonexistent/scenario.json' is neither a built-in name nor a readable file");
}

// A misspelt key was ignored: {"wieght": 5} ran at the default weight 1, {"tragets": [...]} sent
// to 127.0.0.1:8080 instead of the targets. Every level names the key and the keys it allows.
TEST(Scenario, AnUnknownKeyIsRefusedNamingItAndTheKeysAllowed) {
  struct Case {
    const char* json;
    const char* message;
  };
  for (
      const auto& c : {
          Case{R"({"endpoints":[{"path":"/a"}],"tragets":[]})",
               R"(unknown key "tragets" (keys: name, description, endpoints, targets))"},
          Case{R"({"endpoints":[{"name":"a","path":"/a","wieght":5}]})",
               R"(endpoint 'a': unknown key "wieght" (keys: name, method, path, weight, )"
               R"(generate, expected_statuses, body, content_type))"},
          Case{
              R"({"endpoints":[{"path":"/a"}],"targets":[{"name":"p","url":"http://127.0.0.1:1","rat":5}]})",
              R"(target 'p': unknown key "rat" (keys: name, url, rate, stages))"},
      }) {
    const auto scenario = parse_scenario_json(c.json);
    ASSERT_FALSE(scenario.has_value()) << c.json;
    EXPECT_EQ(scenario.error().message, c.message) << c.json;
  }
}

}  // namespace
}  // namespace latencylab::loadgen
