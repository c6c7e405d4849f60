#include "telemetry/sdk_settings.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace latencylab::telemetry {
namespace {

EnvLookup env_of(std::map<std::string, std::string, std::less<>> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    if (auto it = values.find(name); it != values.end()) return it->second;
    return std::nullopt;
  };
}

// The SettingsError message for `variable` set to `value`, or "" when it parses.
std::string error_for(const std::string& variable, const std::string& value) {
  try {
    (void)load_sdk_settings(env_of({{variable, value}}));
  } catch (const SettingsError& e) {
    EXPECT_EQ(e.variable(), variable);
    return e.what();
  }
  return "";
}

TEST(SdkSettings, DefaultsMatchTheOtelSpec) {
  const auto s = load_sdk_settings(env_of({}));
  EXPECT_FALSE(s.disabled);
  EXPECT_EQ(s.exporter, MetricsExporterKind::otlp);
  EXPECT_EQ(s.export_interval, std::chrono::milliseconds(60000));
  EXPECT_EQ(s.export_timeout, std::chrono::milliseconds(30000));
  EXPECT_FALSE(s.service_name.has_value());
  EXPECT_TRUE(s.resource_attributes.empty());
  EXPECT_EQ(s.temporality_preference, TemporalityPreference::cumulative);
}

TEST(SdkSettings, ReadsEveryVariable) {
  const auto s = load_sdk_settings(env_of({
      {"OTEL_SDK_DISABLED", "TRUE"},
      {"OTEL_METRICS_EXPORTER", "Console"},
      {"OTEL_METRIC_EXPORT_INTERVAL", "5000"},
      {"OTEL_METRIC_EXPORT_TIMEOUT", " 2500 "},
      {"OTEL_SERVICE_NAME", "orders"},
      {"OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=dev"},
      {"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "LOWMEMORY"},
  }));
  EXPECT_TRUE(s.disabled);
  EXPECT_EQ(s.exporter, MetricsExporterKind::console);
  EXPECT_EQ(s.export_interval, std::chrono::milliseconds(5000));
  EXPECT_EQ(s.export_timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(s.service_name, "orders");
  EXPECT_EQ(s.resource_attributes,
            (std::vector<ResourceAttribute>{{"deployment.environment.name", "dev"}}));
  EXPECT_EQ(s.temporality_preference, TemporalityPreference::lowmemory);
}

TEST(SdkSettings, EmptyValuesCountAsUnset) {
  const auto s = load_sdk_settings(
      env_of({{"OTEL_METRIC_EXPORT_INTERVAL", ""}, {"OTEL_METRICS_EXPORTER", "  "}}));
  EXPECT_EQ(s.export_interval, std::chrono::milliseconds(60000));
  EXPECT_EQ(s.exporter, MetricsExporterKind::otlp);
}

TEST(SdkSettings, NoneExporterIsAccepted) {
  EXPECT_EQ(load_sdk_settings(env_of({{"OTEL_METRICS_EXPORTER", "none"}})).exporter,
            MetricsExporterKind::none);
}

TEST(SdkSettings, InvalidValuesNameTheVariableAndTheValue) {
  EXPECT_EQ(error_for("OTEL_METRIC_EXPORT_INTERVAL", "10s"),
            "OTEL_METRIC_EXPORT_INTERVAL=\"10s\": expected a positive integer number of "
            "milliseconds");
  EXPECT_EQ(error_for("OTEL_METRIC_EXPORT_TIMEOUT", "0"),
            "OTEL_METRIC_EXPORT_TIMEOUT=\"0\": expected a positive integer number of milliseconds");
  EXPECT_EQ(error_for("OTEL_METRIC_EXPORT_INTERVAL", "-5"),
            "OTEL_METRIC_EXPORT_INTERVAL=\"-5\": expected a positive integer number of "
            "milliseconds");
  EXPECT_EQ(error_for("OTEL_SDK_DISABLED", "yes"),
            "OTEL_SDK_DISABLED=\"yes\": expected true or false");
  EXPECT_EQ(error_for("OTEL_METRICS_EXPORTER", "prometheus"),
            "OTEL_METRICS_EXPORTER=\"prometheus\": expected otlp, console, summary or none");
  EXPECT_EQ(error_for("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "sometimes"),
            "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=\"sometimes\": expected "
            "cumulative, delta or lowmemory");
}

TEST(SdkSettings, OneExporterAtATime) {
  EXPECT_EQ(load_sdk_settings(env_of({{"OTEL_METRICS_EXPORTER", " console ,"}})).exporter,
            MetricsExporterKind::console);
  EXPECT_EQ(load_sdk_settings(env_of({{"OTEL_METRICS_EXPORTER", "Summary"}})).exporter,
            MetricsExporterKind::summary);
  EXPECT_EQ(error_for("OTEL_METRICS_EXPORTER", "otlp,console"),
            "OTEL_METRICS_EXPORTER=\"otlp,console\": expected one exporter: otlp, console, summary "
            "or none");
}

TEST(ResourceAttributes, PairsAreTrimmedAndValuesPercentDecoded) {
  const auto s = load_sdk_settings(
      env_of({{"OTEL_RESOURCE_ATTRIBUTES", " team = perf lab , note=a%2Cb%3Dc%20d ,x=,"}}));
  EXPECT_EQ(s.resource_attributes,
            (std::vector<ResourceAttribute>{{"team", "perf lab"}, {"note", "a,b=c d"}, {"x", ""}}));
}

TEST(ResourceAttributes, MalformedInputIsAnErrorNamingTheVariable) {
  EXPECT_EQ(error_for("OTEL_RESOURCE_ATTRIBUTES", "a=1,broken"),
            "OTEL_RESOURCE_ATTRIBUTES=\"a=1,broken\": missing '=' in \"broken\"");
  EXPECT_EQ(error_for("OTEL_RESOURCE_ATTRIBUTES", "=v"),
            "OTEL_RESOURCE_ATTRIBUTES=\"=v\": empty key in \"=v\"");
  EXPECT_EQ(error_for("OTEL_RESOURCE_ATTRIBUTES", "a=%zz"),
            "OTEL_RESOURCE_ATTRIBUTES=\"a=%zz\": invalid percent-encoding in value \"%zz\"");
  EXPECT_EQ(error_for("OTEL_RESOURCE_ATTRIBUTES", "a=100%"),
            "OTEL_RESOURCE_ATTRIBUTES=\"a=100%\": invalid percent-encoding in value \"100%\"");
}

}  // namespace
}  // namespace latencylab::telemetry
