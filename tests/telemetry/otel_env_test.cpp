#include "telemetry/otel_env.hpp"

#include <gtest/gtest.h>

#include <map>

namespace latencylab::telemetry {
namespace {

using std::chrono::milliseconds;

TEST(OtelEnv, LookupTakesTheFirstNonBlankVariable) {
  const std::map<std::string, std::string, std::less<>> values{
      {"SPECIFIC", " \t"}, {"GENERIC", "x"}, {"OTHER", "y"}};
  const EnvLookup env = [&](std::string_view name) -> std::optional<std::string> {
    if (auto it = values.find(name); it != values.end()) return it->second;
    return std::nullopt;
  };
  const auto found = lookup(env, {"UNSET", "SPECIFIC", "GENERIC", "OTHER"});
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "GENERIC");
  EXPECT_EQ(found->value, "x");
  EXPECT_FALSE(lookup(env, {"UNSET", "SPECIFIC"}).has_value());
}

TEST(OtelEnv, ValueOfNamesTheVariableAndTheValue) {
  const EnvValue var{"OTEL_METRIC_EXPORT_TIMEOUT", "10s"};
  EXPECT_EQ(value_of(var, parse_milliseconds("250")), milliseconds(250));
  try {
    (void)value_of(var, parse_milliseconds(var.value));
    ADD_FAILURE() << "expected a SettingsError";
  } catch (const SettingsError& error) {
    EXPECT_EQ(error.variable(), "OTEL_METRIC_EXPORT_TIMEOUT");
    EXPECT_STREQ(error.what(),
                 "OTEL_METRIC_EXPORT_TIMEOUT=\"10s\": expected a positive integer number of "
                 "milliseconds");
  }
}

TEST(OtelEnv, BoolsAreCaseInsensitiveAndTrimmed) {
  EXPECT_TRUE(parse_bool(" TRUE ").value());
  EXPECT_FALSE(parse_bool("False").value());
  EXPECT_EQ(parse_bool("yes").error().message, "expected true or false");
  EXPECT_TRUE(parse_bool("1").has_error());
}

TEST(OtelEnv, MillisecondsArePositiveIntegers) {
  EXPECT_EQ(parse_milliseconds(" 2500\t").value(), milliseconds(2500));
  for (const char* bad : {"0", "-5", "10s", "1.5", "", "99999999999999999999"}) {
    EXPECT_TRUE(parse_milliseconds(bad).has_error()) << bad;
  }
}

TEST(OtelEnv, ChoicesListTheAcceptedNames) {
  enum class Codec { none, gzip };
  const auto parse = [](std::string_view text) {
    return parse_choice<Codec>(text, {{"gzip", Codec::gzip}, {"none", Codec::none}});
  };
  EXPECT_EQ(parse(" GZip").value(), Codec::gzip);
  EXPECT_EQ(parse("zstd").error().message, "expected gzip or none");
}

TEST(OtelEnv, ListsAreTrimmedAndSkipEmptyMembers) {
  EXPECT_EQ(split_list(" a ,,b,\tc ,"), (std::vector<std::string_view>{"a", "b", "c"}));
  EXPECT_TRUE(split_list(" , ").empty());
}

TEST(OtelEnv, KeyValuesArePercentDecodedValues) {
  EXPECT_EQ(parse_key_values(" team = perf lab , note=a%2Cb%3Dc%20d ,x=,").value(),
            (std::vector<KeyValue>{{"team", "perf lab"}, {"note", "a,b=c d"}, {"x", ""}}));
  // '+' is not a space here: this is not a form encoding.
  EXPECT_EQ(parse_key_values("k=a+b").value(), (std::vector<KeyValue>{{"k", "a+b"}}));
}

TEST(OtelEnv, MalformedKeyValuesSayWhichMember) {
  EXPECT_EQ(parse_key_values("a=1,broken").error().message, "missing '=' in \"broken\"");
  EXPECT_EQ(parse_key_values("=v").error().message, "empty key in \"=v\"");
  EXPECT_EQ(parse_key_values("a=%zz").error().message, "invalid percent-encoding in value \"%zz\"");
  EXPECT_EQ(parse_key_values("a=100%").error().message,
            "invalid percent-encoding in value \"100%\"");
  EXPECT_EQ(parse_key_values("a=%4").error().message, "invalid percent-encoding in value \"%4\"");
}

}  // namespace
}  // namespace latencylab::telemetry
