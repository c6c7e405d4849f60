// The command line as a user types it (parse_load_options) turned into a run plan
// (build_run_plan): which targets, which exact request bytes, and which argument errors.
#include "loadgen/run_plan_builder.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "loadgen/scenario.hpp"

namespace latencylab::loadgen {
namespace {

core::Result<RunPlan> plan_for(std::vector<std::string> args) {
  args.insert(args.begin(), "load");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  const auto parsed = parse_load_options(static_cast<int>(argv.size()), argv.data());
  if (!parsed) return parsed.error();
  return build_run_plan(std::get<LoadOptions>(*parsed));
}

// The message a command line is refused with, or "<accepted>".
std::string refusal(std::vector<std::string> args) {
  const auto plan = plan_for(std::move(args));
  return plan ? "<accepted>" : plan.error().message;
}

// The bytes of the request endpoint `endpoint` of target `target` sends (first variant drawn).
std::string request_of(const RunPlan& plan, std::size_t target, std::size_t endpoint = 0) {
  MixRng rng{1};
  for (int draw = 0; draw < 10'000; ++draw) {
    const auto choice = plan.targets[target].mix.pick(rng);
    if (choice.endpoint == endpoint) return std::string(choice.bytes);
  }
  return "<never drawn>";
}

TEST(RunPlanBuilder, PositionalUrlIsRequestedExactlyAsWritten) {
  const auto plan = plan_for({"http://127.0.0.1:18080/health", "-d", "1s", "-r", "10"});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_EQ(plan->targets.size(), 1u);
  EXPECT_EQ(plan->scenario_name, "");
  EXPECT_EQ(plan->targets[0].url, "http://127.0.0.1:18080/health");
  EXPECT_EQ(plan->targets[0].address.endpoint.port(), 18080);
  ASSERT_EQ(plan->targets[0].mix.endpoint_count(), 1u);
  EXPECT_EQ(plan->targets[0].mix.endpoint_name(0), "GET /health");
  EXPECT_EQ(request_of(*plan, 0),
            "GET /health HTTP/1.1\r\nHost: 127.0.0.1:18080\r\nUser-Agent: latencylab-load\r\n"
            "Accept: */*\r\n\r\n");
  EXPECT_DOUBLE_EQ(plan->targets[0].schedule->expected_requests(plan->duration), 10.0);
}

TEST(RunPlanBuilder, UrlWithoutPathRequestsSlashAndAQueryIsKept) {
  const auto bare = plan_for({"http://127.0.0.1:18080", "-c", "1"});
  ASSERT_TRUE(bare.has_value()) << bare.error().message;
  EXPECT_TRUE(request_of(*bare, 0).starts_with("GET / HTTP/1.1\r\n")) << request_of(*bare, 0);
  EXPECT_EQ(bare->targets[0].mix.endpoint_name(0), "GET /");
  const auto query = plan_for({"http://127.0.0.1:18080/api/search?q=lamp&limit=5", "-c", "1"});
  ASSERT_TRUE(query.has_value()) << query.error().message;
  EXPECT_TRUE(request_of(*query, 0).starts_with("GET /api/search?q=lamp&limit=5 HTTP/1.1\r\n"));
}

TEST(RunPlanBuilder, DashTUrlIsTheRequestNotAPrefixOfTheDemoMix) {
  const auto plan = plan_for({"-t", "http://127.0.0.1:18080/api/users", "-d", "2s", "-r", "100"});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_EQ(plan->targets[0].mix.endpoint_count(), 1u);
  EXPECT_TRUE(request_of(*plan, 0).starts_with("GET /api/users HTTP/1.1\r\n"));
}

TEST(RunPlanBuilder, EveryUrlIsATargetAtTheRateGiven) {
  const auto plan = plan_for({"http://127.0.0.1:18080/health", "-t", "http://127.0.0.1:18080/",
                              "http://127.0.0.1:18081/api/users", "-r", "7", "-d", "2s"});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_EQ(plan->targets.size(), 3u);
  EXPECT_EQ(plan->targets[0].name, "127.0.0.1:18080/health");
  EXPECT_EQ(plan->targets[1].name, "127.0.0.1:18080/");
  EXPECT_EQ(plan->targets[2].name, "127.0.0.1:18081/api/users");
  for (const auto& target : plan->targets) {
    EXPECT_DOUBLE_EQ(target.schedule->expected_requests(plan->duration), 14.0) << target.name;
  }
}

TEST(RunPlanBuilder, MethodHeadersAndBodyDescribeTheRequestLikeHeyAndOha) {
  const auto plan =
      plan_for({"http://127.0.0.1:18080/api/orders", "-m", "POST", "-H",
                "Content-Type: application/json", "-H", "X-Tenant: t1", "--body", "{}", "-c", "1"});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(request_of(*plan, 0),
            "POST /api/orders HTTP/1.1\r\nHost: 127.0.0.1:18080\r\nUser-Agent: latencylab-load\r\n"
            "Accept: */*\r\nContent-Type: application/json\r\nX-Tenant: t1\r\nContent-Length: "
            "2\r\n\r\n{}");

  const auto path =
      (std::filesystem::temp_directory_path() / ("body-" + std::to_string(::getpid()) + ".json"))
          .string();
  std::ofstream(path) << R"({"order_id":"ORD-1"})";
  const auto from_file = plan_for(
      {"http://127.0.0.1:18080/api/payments", "-m", "PUT", "--body-file", path, "-c", "1"});
  std::filesystem::remove(path);
  ASSERT_TRUE(from_file.has_value()) << from_file.error().message;
  EXPECT_TRUE(request_of(*from_file, 0).starts_with("PUT /api/payments HTTP/1.1\r\n"));
  EXPECT_TRUE(
      request_of(*from_file, 0).ends_with("Content-Length: 20\r\n\r\n{\"order_id\":\"ORD-1\"}"))
      << request_of(*from_file, 0);
}

TEST(RunPlanBuilder, ExpectStatusSetsTheStatusesOfUrlTargetsAndDefaultsTo2xxAnd3xx) {
  const auto listed =
      plan_for({"http://127.0.0.1:18080/api/payments", "--expect-status", "201,402", "-c", "1"});
  ASSERT_TRUE(listed.has_value()) << listed.error().message;
  const RequestMix& mix = listed->targets[0].mix;
  EXPECT_TRUE(mix.expects(0, 201));
  EXPECT_TRUE(mix.expects(0, 402));
  EXPECT_FALSE(mix.expects(0, 200));
  EXPECT_FALSE(mix.expects(0, 500));

  const auto plain = plan_for({"http://127.0.0.1:18080/health", "-c", "1"});
  ASSERT_TRUE(plain.has_value()) << plain.error().message;
  for (const unsigned status : {200u, 204u, 302u, 399u}) {
    EXPECT_TRUE(plain->targets[0].mix.expects(0, status)) << status;
  }
  for (const unsigned status : {100u, 199u, 400u, 402u, 404u, 500u, 503u, 600u, 999u}) {
    EXPECT_FALSE(plain->targets[0].mix.expects(0, status)) << status;
  }

  // Payments in the built-in storefront mix expect declines; health does not expect a 402.
  const auto storefront =
      plan_for({"http://127.0.0.1:18080", "--scenario", "storefront", "-c", "1"});
  ASSERT_TRUE(storefront.has_value()) << storefront.error().message;
  const RequestMix& shop = storefront->targets[0].mix;
  ASSERT_EQ(shop.endpoint_name(5), "payments");
  EXPECT_TRUE(shop.expects(5, 402));
  EXPECT_TRUE(shop.expects(5, 201));
  EXPECT_FALSE(shop.expects(0, 402));
}

TEST(RunPlanBuilder, WithAScenarioAUrlNamesTheBaseAndAPathNeedsBasePath) {
  const auto base = plan_for({"http://127.0.0.1:18080/", "--scenario", "demo", "-r", "10"});
  ASSERT_TRUE(base.has_value()) << base.error().message;
  EXPECT_EQ(base->scenario_name, "demo");
  ASSERT_EQ(base->targets[0].mix.endpoint_count(), 4u);
  EXPECT_TRUE(request_of(*base, 0, 0).starts_with("GET /health HTTP/1.1\r\n"));

  EXPECT_EQ(refusal({"http://127.0.0.1:18080/api/users", "--scenario", "demo", "-r", "10"}),
            "target 'http://127.0.0.1:18080/api/users' has a path, but with --scenario a URL "
            "names the base: add --base-path to prefix the scenario's paths with /api/users, or "
            "drop --scenario to load the URL as written");

  const auto prefixed =
      plan_for({"http://127.0.0.1:18080/v2/", "--scenario", "demo", "--base-path", "-r", "10"});
  ASSERT_TRUE(prefixed.has_value()) << prefixed.error().message;
  EXPECT_EQ(prefixed->targets[0].url, "http://127.0.0.1:18080/v2");
  EXPECT_TRUE(request_of(*prefixed, 0, 0).starts_with("GET /v2/health HTTP/1.1\r\n"));
}

TEST(RunPlanBuilder, AScenariosOwnTargetsAreUsedOnlyWhenNoUrlIsGiven) {
  const auto own = plan_for({"--scenario", "dataplanes", "-d", "30s"});
  ASSERT_TRUE(own.has_value()) << own.error().message;
  EXPECT_EQ(own->targets.size(), 3u);
  const auto given = plan_for({"--scenario", "dataplanes", "http://127.0.0.1:9000", "-r", "5"});
  ASSERT_TRUE(given.has_value()) << given.error().message;
  ASSERT_EQ(given->targets.size(), 1u);
  EXPECT_EQ(given->targets[0].address.endpoint.port(), 9000);
}

TEST(RunPlanBuilder, TheCommandLinesModelReplacesTheScenarioTargetsOwnRates) {
  // docs/DEMO.md: `load --scenario shop --rate 60` drives the shop at 60/s, not its file's 20/s.
  const auto rate = plan_for({"--scenario", "shop", "--rate", "60", "-d", "10s"});
  ASSERT_TRUE(rate.has_value()) << rate.error().message;
  ASSERT_EQ(rate->targets.size(), 1u);
  EXPECT_DOUBLE_EQ(rate->targets[0].schedule->expected_requests(rate->duration), 600.0);

  const auto stages = plan_for({"--scenario", "dataplanes", "--stages", "10s:10"});
  ASSERT_TRUE(stages.has_value()) << stages.error().message;
  ASSERT_EQ(stages->targets.size(), 3u);
  for (const auto& target : stages->targets) {
    EXPECT_DOUBLE_EQ(target.schedule->expected_requests(stages->duration), 50.0) << target.name;
  }

  const auto closed = plan_for({"--scenario", "dataplanes", "-c", "2", "-d", "1s"});
  ASSERT_TRUE(closed.has_value()) << closed.error().message;
  EXPECT_EQ(closed->model, LoadModel::closed);
  EXPECT_EQ(closed->targets.size(), 3u);

  // Without a model on the command line each target keeps its own (prod 50/s).
  const auto own = plan_for({"--scenario", "dataplanes", "-d", "10s"});
  ASSERT_TRUE(own.has_value()) << own.error().message;
  EXPECT_DOUBLE_EQ(own->targets[0].schedule->expected_requests(own->duration), 500.0);
}

TEST(RunPlanBuilder, HelpNamesEveryBuiltInScenario) {
  std::string help_flag = "--help";
  std::string load = "load";
  std::vector<char*> argv{load.data(), help_flag.data()};
  const auto parsed = parse_load_options(static_cast<int>(argv.size()), argv.data());
  ASSERT_TRUE(parsed.has_value());
  const auto* help = std::get_if<core::HelpRequested>(&*parsed);
  ASSERT_NE(help, nullptr);
  ASSERT_FALSE(builtin_scenario_names().empty());
  for (const std::string_view name : builtin_scenario_names()) {
    // Listed as a word of "built-in mix (a, b, c)", not only inside another name or an example.
    const bool listed = help->text.find(std::string(name) + ",") != std::string::npos ||
                        help->text.find(std::string(name) + ")") != std::string::npos;
    EXPECT_TRUE(listed) << name << " is not in: " << help->text;
  }
}

TEST(RunPlanBuilder, StagesWithConnectionsRampTheConnectionCountFromC) {
  const auto plan =
      plan_for({"http://127.0.0.1:18080", "-c", "2", "--stages", "10s:20,30s:20,10s:0"});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->model, LoadModel::closed);
  EXPECT_EQ(plan->connections.connections_at(Nanos{0}), 2u);
  EXPECT_EQ(plan->connections.connections_at(std::chrono::seconds{5}), 11u);
  EXPECT_EQ(plan->connections.connections_at(std::chrono::seconds{45}), 10u);
  EXPECT_EQ(plan->connections.peak(), 20u);
  EXPECT_EQ(plan->duration, Nanos{std::chrono::seconds{50}}) << "the stages' length";
  EXPECT_FALSE(plan->targets[0].schedule.has_value()) << "no arrival schedule: not a rate";

  const auto from_zero = plan_for({"http://127.0.0.1:18080", "-c", "0", "--stages", "5s:4"});
  ASSERT_TRUE(from_zero.has_value()) << from_zero.error().message;
  EXPECT_EQ(from_zero->connections.connections_at(Nanos{0}), 0u);

  const auto still_a_rate = plan_for({"http://127.0.0.1:18080", "--stages", "10s:20"});
  ASSERT_TRUE(still_a_rate.has_value()) << still_a_rate.error().message;
  EXPECT_EQ(still_a_rate->model, LoadModel::open) << "without -c, --stages ramps the rate";
  EXPECT_DOUBLE_EQ(still_a_rate->targets[0].schedule->rate_at(std::chrono::seconds{5}), 10.0);

  const auto constant = plan_for({"http://127.0.0.1:18080", "-c", "3", "-d", "1s"});
  ASSERT_TRUE(constant.has_value()) << constant.error().message;
  EXPECT_FALSE(constant->connections.changes());
  EXPECT_EQ(constant->connections.peak(), 3u);
}

TEST(RunPlanBuilder, ArgumentErrorsAreRefusedWithAMessage) {
  struct Case {
    std::vector<std::string> args;
    const char* mentions;
  };
  const std::string url = "http://127.0.0.1:18080";
  const Case cases[] = {
      {{"-r", "10"}, "nothing to load: give a URL"},
      {{url, "-r", "10", "extra"}, "target 'extra' must start with http://"},
      {{url, "-r", "10", "--dur", "1s"}, "--dur"},
      {{url, "-r", "10", "--bogus"}, "--bogus"},
      {{"https://127.0.0.1:8443/health", "-r", "10"}, "does not support"},
      {{url, "-r", "10", "--scenario", "demo", "-H", "X-A: 1"}, "-m/-H/--body/--body-file"},
      {{url, "-r", "10", "--scenario", "demo", "-m", "POST"}, "-m/-H/--body/--body-file"},
      {{url, "-r", "10", "--base-path"}, "--base-path applies to a --scenario"},
      {{url, "-r", "10", "-H", "NoColon"}, "--header 'NoColon' is not 'Name: value'"},
      {{url, "-r", "10", "-H", "host: elsewhere"}, "--header Host is set by latencylab load"},
      {{url, "-r", "10", "-m", "GE T"}, "--method 'GE T' is not an HTTP method"},
      {{url, "-r", "10", "--body", "x", "--body-file", "/etc/hostname"}, "alternatives"},
      {{url, "-r", "10", "--body-file", "/nonexistent/body.json"}, "cannot read --body-file"},
      {{url, "-r", "10", "--expect-status", "200,2xx"},
       "--expect-status '200,2xx' is not a list of status codes in [100, 599]"},
      {{url, "-r", "10", "--expect-status", "200,600"}, "is not a list of status codes"},
      {{url, "-r", "10", "--expect-status", ""}, "is not a list of status codes"},
      {{url, "-r", "10", "--scenario", "demo", "--expect-status", "200"}, "--expect-status"},
      {{url + "/health", "--scenario", "demo", "-r", "10"}, "has a path"},
      {{url, "-c", "4", "-r", "10"}, "cannot be combined with --rate"},
      {{url + "@10", "-c", "4"}, "cannot be combined with a target's own rate"},
      {{url, "-c", "4", "--stages", "10s:2.5"}, "stage 1's 2.5 is not a whole number"},
      {{url, "-c", "4", "--stages", "10s:8,5s:-1"}, "stage '5s:-1' has an invalid"},
      {{url, "-c", "4", "--stages", "10s:8,5s:1.5"}, "stage 2's 1.5 is not a whole number"},
      {{url, "-c", "4", "--stages", "10s:2000000"}, "is not a whole number in [0, 1000000]"},
      {{url, "-c", "0", "--stages", "10s:0"}, "never opens a connection"},
      {{url, "-c", "0"}, "--connections must be in [1, 1000000]"},
      {{url, "-c", "4", "--stages", "10s"}, "not DURATION:RATE"},
  };
  for (const auto& c : cases) {
    const std::string message = refusal(c.args);
    std::string joined;
    for (const auto& arg : c.args) joined += arg + " ";
    EXPECT_NE(message.find(c.mentions), std::string::npos) << joined << "-> " << message;
  }
}

}  // namespace
}  // namespace latencylab::loadgen
