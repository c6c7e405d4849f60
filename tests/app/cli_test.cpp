// The `latencylab` executable as a user meets it: help, bad flags and bad configuration give a
// clear message and a non-zero exit before anything listens.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// `environment` is prepended as VAR=value assignments for this run only.
CommandResult run(const std::string& arguments, const std::string& environment = "") {
  const std::string command =
      environment + " " + std::string(LATENCYLAB_BINARY) + " " + arguments + " 2>&1";
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> chunk{};
  while (std::fgets(chunk.data(), chunk.size(), pipe) != nullptr) result.output += chunk.data();
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(CliTest, HelpListsCommandsAndExitsZero) {
  const CommandResult help = run("--help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command : {"serve", "load", "healthcheck"}) {
    EXPECT_NE(help.output.find(command), std::string::npos) << command;
  }
  EXPECT_EQ(run("serve --help").exit_code, 0);
  EXPECT_EQ(run("healthcheck --help").exit_code, 0);
  const CommandResult load = run("load --help");
  EXPECT_EQ(load.exit_code, 0);
  EXPECT_NE(load.output.find("--rate-tolerance arg (=0.05)"), std::string::npos) << load.output;
}

TEST(CliTest, UnknownCommandOrFlagExitsTwoNamingIt) {
  const CommandResult command = run("frobnicate");
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_NE(command.output.find("frobnicate"), std::string::npos);
  const CommandResult flag = run("serve --no-such-flag");
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_NE(flag.output.find("no-such-flag"), std::string::npos);
}

TEST(CliTest, InvalidConfigurationStopsStartupNamingTheKey) {
  const CommandResult probability = run("serve --set log.access_log_sample_rate=1.5");
  EXPECT_EQ(probability.exit_code, 2);
  EXPECT_NE(probability.output.find("log.access_log_sample_rate"), std::string::npos);
  const CommandResult moved = run("serve --port 0", "LATENCYLAB_ENDPOINTS__SLOW__ERROR_RATE=0.1");
  EXPECT_EQ(moved.exit_code, 2);
  EXPECT_NE(moved.output.find("endpoints.slow.error_rate: moved to the service graph: "
                              "services.latencylab.routes[3] (GET /api/slow)"),
            std::string::npos)
      << moved.output;
  const CommandResult service = run("serve --port 0 --service orders");
  EXPECT_NE(service.exit_code, 0);
  EXPECT_NE(service.output.find(R"(no service "orders")"), std::string::npos) << service.output;
  const CommandResult unknown = run("serve --set server.prot=80");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("server.prot"), std::string::npos);
  const CommandResult env = run("serve --config /no/such/file.json");
  EXPECT_EQ(env.exit_code, 2);
  EXPECT_NE(env.output.find("/no/such/file.json"), std::string::npos);
}

TEST(CliTest, InvalidTelemetryEnvironmentNamesTheVariable) {
  const CommandResult bad = run("serve --port 0", "OTEL_METRIC_EXPORT_INTERVAL=10s");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("OTEL_METRIC_EXPORT_INTERVAL"), std::string::npos);
}

TEST(CliTest, PrintConfigShowsTheEffectiveValues) {
  const CommandResult printed =
      run("serve --print-config --port 9999", "LATENCYLAB_TIME_SCALE=0.5");
  EXPECT_EQ(printed.exit_code, 0);
  EXPECT_NE(printed.output.find("\"port\":9999"), std::string::npos) << printed.output;
  EXPECT_NE(printed.output.find("\"time_scale\":0.5,"), std::string::npos) << printed.output;
  EXPECT_NE(printed.output.find(R"("graph":"","service":"","peers":[])"), std::string::npos)
      << printed.output;
}

TEST(CliTest, GraphServiceAndPeerFlagsAreConfigKeys) {
  const std::string shop = std::string(LATENCYLAB_GRAPHS_DIR) + "/shop.json";
  const CommandResult printed =
      run("serve --print-config --graph " + shop +
              " --service orders --peer payments=http://127.0.0.1:9104 --peer "
              "inventory=http://127.0.0.1:9103",
          "LATENCYLAB_PEERS=ignored=http://127.0.0.1:1");
  EXPECT_EQ(printed.exit_code, 0) << printed.output;
  EXPECT_NE(printed.output.find(R"(","service":"orders",)"
                                R"("peers":["payments=http://127.0.0.1:9104",)"
                                R"("inventory=http://127.0.0.1:9103"])"),
            std::string::npos)
      << printed.output;
  const CommandResult from_env =
      run("serve --print-config --graph " + shop + " --service frontend",
          "LATENCYLAB_PEERS=orders=http://127.0.0.1:1,payments=http://127.0.0.1:2");
  EXPECT_NE(from_env.output.find(
                R"("peers":["orders=http://127.0.0.1:1","payments=http://127.0.0.1:2"])"),
            std::string::npos)
      << from_env.output;
  const CommandResult bad = run("serve --peer payments");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("must be name=http://host:port"), std::string::npos) << bad.output;
}

// --print-config is serve's dry run (tests/deploy checks compose.yaml with it): what would stop
// startup stops it too, and nothing is printed.
TEST(CliTest, PrintConfigMakesTheStartupChecks) {
  const std::string shop = std::string(LATENCYLAB_GRAPHS_DIR) + "/shop.json";
  const CommandResult peer = run("serve --print-config --graph " + shop +
                                 " --service frontend --peer "
                                 "billing=http://127.0.0.1:1");
  EXPECT_EQ(peer.exit_code, 2);
  EXPECT_NE(peer.output.find(R"("billing=http://127.0.0.1:1" names no service)"), std::string::npos)
      << peer.output;
  const CommandResult service = run("serve --print-config --service orders");
  EXPECT_EQ(service.exit_code, 2);
  EXPECT_NE(service.output.find(R"(no service "orders")"), std::string::npos) << service.output;
  const CommandResult telemetry = run("serve --print-config", "OTEL_METRIC_EXPORT_INTERVAL=10s");
  EXPECT_EQ(telemetry.exit_code, 2);
  EXPECT_NE(telemetry.output.find("OTEL_METRIC_EXPORT_INTERVAL"), std::string::npos);
  EXPECT_EQ(telemetry.output.find("\"server\""), std::string::npos) << telemetry.output;
}

TEST(CliTest, HealthcheckFailsWhenNothingListens) {
  const CommandResult down = run("healthcheck --url http://127.0.0.1:1/health --timeout-ms 500");
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_EQ(run("healthcheck --url https://127.0.0.1/health").exit_code, 2);
}

// `serve config/latencylab.json` (without --config) served the defaults, and `healthcheck URL`
// probed 127.0.0.1:8080 instead of URL: a stray argument was dropped without a word.
TEST(CliTest, AnArgumentThatIsNotAnOptionIsRefusedNamingIt) {
  const CommandResult serve = run("serve config/latencylab.json --print-config");
  EXPECT_EQ(serve.exit_code, 2);
  EXPECT_NE(serve.output.find("unexpected argument 'config/latencylab.json'"), std::string::npos)
      << serve.output;
  EXPECT_NE(serve.output.find("--config FILE"), std::string::npos) << serve.output;
  EXPECT_EQ(serve.output.find("\"server\""), std::string::npos) << serve.output;

  const CommandResult health = run("healthcheck http://127.0.0.1:1/health");
  EXPECT_EQ(health.exit_code, 2);
  EXPECT_NE(health.output.find("unexpected argument 'http://127.0.0.1:1/health'"),
            std::string::npos)
      << health.output;
  EXPECT_NE(health.output.find("--url URL"), std::string::npos) << health.output;
}

TEST(CliTest, HealthcheckRefusesATimeoutThatIsNotPositive) {
  const CommandResult zero = run("healthcheck --url http://127.0.0.1:1/health --timeout-ms 0");
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_NE(zero.output.find("--timeout-ms must be greater than 0"), std::string::npos)
      << zero.output;
}

}  // namespace
