#include "telemetry/resource.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>

#include "telemetry/attributes.hpp"

namespace latencylab::telemetry {
namespace {

const ProcessIdentity kIdentity{"host-1", 4242, "0b3e4c4e-8d52-4f57-9a0e-0d6c3f5d2a11"};

std::string string_attribute(const AttributeList& resource, std::string_view key) {
  const AttributeValue* value = find_attribute(resource, key);
  if (value == nullptr) return "<absent>";
  return std::get<std::string>(*value);
}

TEST(Resource, DefaultsDescribeTheServiceProcessAndSdk) {
  const auto resource = make_resource(SdkSettings{}, kIdentity, "1.2.3");
  EXPECT_EQ(string_attribute(resource, "service.name"), "latencylab");
  EXPECT_EQ(string_attribute(resource, "service.version"), "1.2.3");
  EXPECT_EQ(string_attribute(resource, "service.instance.id"), kIdentity.instance_id);
  EXPECT_EQ(string_attribute(resource, "host.name"), "host-1");
  EXPECT_EQ(std::get<std::int64_t>(*find_attribute(resource, "process.pid")), 4242);
  EXPECT_EQ(string_attribute(resource, "telemetry.sdk.name"), "latencylab");
  EXPECT_EQ(string_attribute(resource, "telemetry.sdk.language"), "cpp");
  EXPECT_EQ(string_attribute(resource, "telemetry.sdk.version"), sdk_version());
  EXPECT_EQ(string_attribute(resource, "deployment.environment.name"), "<absent>");
  EXPECT_EQ(resource, make_attributes(resource)) << "resource must be sorted by key";
}

TEST(Resource, EnvAttributesAddAndOverrideDetectedValues) {
  SdkSettings settings;
  settings.resource_attributes = {{"deployment.environment.name", "qa"},
                                  {"service.name", "from-attributes"},
                                  {"host.name", "pod-7"}};
  const auto resource = make_resource(settings, kIdentity);
  EXPECT_EQ(string_attribute(resource, "deployment.environment.name"), "qa");
  EXPECT_EQ(string_attribute(resource, "service.name"), "from-attributes");
  EXPECT_EQ(string_attribute(resource, "host.name"), "pod-7");
}

TEST(Resource, OtelServiceNameWinsOverServiceNameInResourceAttributes) {
  SdkSettings settings;
  settings.resource_attributes = {{"service.name", "from-attributes"}};
  settings.service_name = "from-service-name";
  EXPECT_EQ(string_attribute(make_resource(settings, kIdentity), "service.name"),
            "from-service-name");
}

TEST(Resource, ADefaultServiceNameYieldsToBothVariables) {
  // latencylab load reports as latencylab-load unless the user names the service.
  SdkSettings settings;
  EXPECT_EQ(string_attribute(make_resource(settings, kIdentity, "1.2.3", "latencylab-load"),
                             "service.name"),
            "latencylab-load");
  settings.resource_attributes = {{"service.name", "from-attributes"}};
  EXPECT_EQ(string_attribute(make_resource(settings, kIdentity, "1.2.3", "latencylab-load"),
                             "service.name"),
            "from-attributes");
  settings.service_name = "from-service-name";
  EXPECT_EQ(string_attribute(make_resource(settings, kIdentity, "1.2.3", "latencylab-load"),
                             "service.name"),
            "from-service-name");
}

TEST(Resource, SdkAttributesCannotBeOverridden) {
  SdkSettings settings;
  settings.resource_attributes = {{"telemetry.sdk.language", "go"}};
  EXPECT_EQ(string_attribute(make_resource(settings, kIdentity), "telemetry.sdk.language"), "cpp");
}

TEST(Resource, ProcessIdentityIsDetected) {
  const auto a = current_process_identity();
  const auto b = current_process_identity();
  EXPECT_EQ(a.pid, static_cast<std::int64_t>(::getpid()));
  EXPECT_FALSE(a.host_name.empty());
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  EXPECT_TRUE(std::regex_match(a.instance_id, uuid)) << a.instance_id;
  EXPECT_NE(a.instance_id, b.instance_id);
}

}  // namespace
}  // namespace latencylab::telemetry
