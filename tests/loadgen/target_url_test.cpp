#include "loadgen/target_url.hpp"

#include <gtest/gtest.h>

namespace latencylab::loadgen {
namespace {

TEST(TargetUrl, AcceptsLoopbackTargets) {
  std::string error;
  for (const char* url : {"http://127.0.0.1:8080", "http://127.9.8.7:1/", "http://localhost:8082",
                          "http://[::1]:9000/prefix/", "http://127.0.0.1"}) {
    const auto target = parse_target_url(url, error);
    ASSERT_TRUE(target.has_value()) << url << ": " << error;
    EXPECT_TRUE(is_loopback(target->endpoint.address())) << url;
  }
  const auto prefixed = parse_target_url("http://[::1]:9000/prefix/", error);
  EXPECT_EQ(prefixed->base_path, "/prefix");
  EXPECT_EQ(prefixed->endpoint.port(), 9000);
  EXPECT_EQ(parse_target_url("http://127.0.0.1", error)->endpoint.port(), 80);
}

TEST(TargetUrl, LocalhostIsNeverResolvedButMappedTo127001) {
  std::string error;
  const auto target = parse_target_url("http://localhost:8082", error);
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->endpoint.address().to_string(), "127.0.0.1");
  EXPECT_EQ(target->host_header, "localhost:8082");
}

TEST(TargetUrl, RefusesEveryNonLoopbackTargetWithAClearError) {
  for (const char* url :
       {"http://10.0.0.1:80", "http://192.168.1.10:8080", "http://172.16.0.1", "http://8.8.8.8",
        "http://example.com", "http://[::2]:80", "http://0.0.0.0:8080",
        "http://[::ffff:10.0.0.1]:80", "http://localhost.example.com:80"}) {
    std::string error;
    EXPECT_FALSE(parse_target_url(url, error).has_value()) << url;
    EXPECT_NE(error.find("loopback"), std::string::npos) << url << ": " << error;
  }
}

TEST(TargetUrl, RefusesOtherSchemesAndMalformedPorts) {
  std::string error;
  EXPECT_FALSE(parse_target_url("https://127.0.0.1:443", error));
  EXPECT_NE(error.find("http://"), std::string::npos);
  EXPECT_FALSE(parse_target_url("http://127.0.0.1:99999", error));
  EXPECT_FALSE(parse_target_url("http://127.0.0.1:0", error));
  EXPECT_FALSE(parse_target_url("http://127.0.0.1:80/x?y=1", error));
}

TEST(TargetUrl, SpecCarriesNameAndRate) {
  std::string error;
  const auto spec = parse_target_spec("prod=http://127.0.0.1:8081@50", error);
  ASSERT_TRUE(spec.has_value()) << error;
  EXPECT_EQ(spec->name, "prod");
  EXPECT_EQ(spec->rate, 50.0);
  const auto unnamed = parse_target_spec("http://127.0.0.1:8081", error);
  ASSERT_TRUE(unnamed.has_value());
  EXPECT_EQ(unnamed->name, "127.0.0.1:8081");
  EXPECT_FALSE(unnamed->rate.has_value());
  EXPECT_FALSE(parse_target_spec("qa=http://127.0.0.1:8083@fast", error));
  EXPECT_FALSE(parse_target_spec("qa=http://10.1.1.1:8083@5", error));
}

}  // namespace
}  // namespace latencylab::loadgen
