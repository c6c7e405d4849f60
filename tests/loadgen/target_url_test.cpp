#include "loadgen/target_url.hpp"

#include <gtest/gtest.h>

namespace latencylab::loadgen {
namespace {

// The message a rejected target gets, or "<accepted>".
std::string rejection(std::string_view url) {
  const auto target = parse_target_url(url);
  return target ? "<accepted>" : target.error().message;
}

TEST(TargetUrl, AcceptsLoopbackTargets) {
  for (const char* url : {"http://127.0.0.1:8080", "http://127.9.8.7:1/", "http://localhost:8082",
                          "http://[::1]:9000/prefix/", "http://127.0.0.1", "HTTP://LocalHost:1"}) {
    const auto target = parse_target_url(url);
    ASSERT_TRUE(target.has_value()) << url << ": " << target.error().message;
    EXPECT_TRUE(is_loopback(target->endpoint.address())) << url;
  }
  const auto prefixed = parse_target_url("http://[::1]:9000/prefix/");
  EXPECT_EQ(prefixed->path, "/prefix/");
  EXPECT_EQ(prefixed->endpoint.port(), 9000);
  EXPECT_EQ(prefixed->host_header, "[::1]:9000");
  EXPECT_EQ(parse_target_url("http://127.0.0.1")->endpoint.port(), 80);
}

TEST(TargetUrl, KeepsThePathAndQueryAsWritten) {
  EXPECT_EQ(parse_target_url("http://127.0.0.1:1")->path, "");
  EXPECT_EQ(parse_target_url("http://127.0.0.1:1/")->path, "/");
  EXPECT_EQ(parse_target_url("http://127.0.0.1:1/api/users")->path, "/api/users");
  EXPECT_EQ(parse_target_url("http://127.0.0.1:1/search?q=a%20b&limit=5")->path,
            "/search?q=a%20b&limit=5");
  EXPECT_EQ(parse_target_url("http://127.0.0.1:1?q=a")->path, "/?q=a");
}

TEST(TargetUrl, LocalhostIsNeverResolvedButMappedTo127001) {
  const auto target = parse_target_url("http://localhost:8082");
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->endpoint.address().to_string(), "127.0.0.1");
  EXPECT_EQ(target->host_header, "localhost:8082");
}

TEST(TargetUrl, RefusesEveryNonLoopbackTargetWithAClearError) {
  for (const char* url :
       {"http://10.0.0.1:80", "http://192.168.1.10:8080", "http://172.16.0.1", "http://8.8.8.8",
        "http://example.com", "http://[::2]:80", "http://0.0.0.0:8080",
        "http://[::ffff:10.0.0.1]:80", "http://localhost.example.com:80", "http://127.1:80"}) {
    EXPECT_NE(rejection(url).find("only sends to loopback"), std::string::npos)
        << url << ": " << rejection(url);
  }
  EXPECT_EQ(rejection("http://10.0.0.1:80"),
            "refusing target host '10.0.0.1': latencylab load only sends to loopback "
            "(127.0.0.0/8, ::1, localhost)");
}

TEST(TargetUrl, SaysHttpsIsNotSupported) {
  EXPECT_EQ(rejection("https://127.0.0.1:443"),
            "target 'https://127.0.0.1:443' uses https, which latencylab load does not support: "
            "use http://");
  EXPECT_EQ(rejection("127.0.0.1:8080"),
            "target '127.0.0.1:8080' must start with http:// (https is not supported)");
}

TEST(TargetUrl, RefusesMalformedPortsAndExtras) {
  for (const char* url : {"http://127.0.0.1:99999", "http://127.0.0.1:0", "http://[::1]:900y/x",
                          "http://127.0.0.1:80a"}) {
    EXPECT_EQ(rejection(url), "target '" + std::string(url) + "' has an invalid port");
  }
  EXPECT_EQ(rejection("http://127.0.0.1:80/x#y"),
            "target 'http://127.0.0.1:80/x#y' must not carry a fragment");
  EXPECT_EQ(rejection("http://me@127.0.0.1:80"),
            "target 'http://me@127.0.0.1:80' must not carry user information");
  EXPECT_EQ(rejection("http://:80"), "target 'http://:80' has no host");
  // A space would break the request line the base path is sent in.
  EXPECT_NE(rejection("http://127.0.0.1/a b").find("is not a valid URL"), std::string::npos);
  EXPECT_NE(rejection("http://[::1:80").find("is not a valid URL"), std::string::npos);
}

TEST(TargetUrl, SpecCarriesNameAndRate) {
  const auto spec = parse_target_spec("prod=http://127.0.0.1:8081@50");
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  EXPECT_EQ(spec->name, "prod");
  EXPECT_EQ(spec->rate, 50.0);
  const auto unnamed = parse_target_spec("http://127.0.0.1:8081");
  ASSERT_TRUE(unnamed.has_value());
  EXPECT_EQ(unnamed->name, "127.0.0.1:8081");
  EXPECT_FALSE(unnamed->rate.has_value());
  EXPECT_EQ(parse_target_spec("qa=http://127.0.0.1:8083@fast").error().message,
            "target 'http://127.0.0.1:8083@fast' has an invalid @RATE (requests per second > 0)");
  EXPECT_FALSE(parse_target_spec("qa=http://10.1.1.1:8083@5"));
}

TEST(TargetUrl, AnAtSignInTheQueryBelongsToTheUrlNotToARate) {
  const auto spec = parse_target_spec("http://127.0.0.1:8080/users?email=a@b.example");
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  EXPECT_EQ(spec->address.path, "/users?email=a@b.example");
  EXPECT_FALSE(spec->rate.has_value());
  const auto rated = parse_target_spec("http://127.0.0.1:8080/users?email=a@b.example@25");
  ASSERT_TRUE(rated.has_value()) << rated.error().message;
  EXPECT_EQ(rated->address.path, "/users?email=a@b.example");
  EXPECT_EQ(rated->rate, 25.0);
}

// `http://user@127.0.0.1:8080/health` was refused as "an invalid @RATE": the '@' of the user
// information was taken for the rate's. It is refused for what it is.
TEST(TargetUrl, UserInformationIsRefusedAsSuchNotAsARate) {
  EXPECT_EQ(parse_target_spec("http://me@127.0.0.1:8080/health").error().message,
            "target 'http://me@127.0.0.1:8080/health' must not carry user information");
  EXPECT_EQ(parse_target_spec("api=http://me@localhost:8080@20").error().message,
            "target 'http://me@localhost:8080' must not carry user information");
}

}  // namespace
}  // namespace latencylab::loadgen
