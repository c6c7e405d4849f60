#include "core/json_writer.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cmath>
#include <limits>
#include <string>

namespace latencylab::core::json {
namespace {

std::string number_text(double number) {
  return serialize(boost::json::value(number));
}

TEST(JsonWriterTest, WholeDoublesPrintAsIntegers) {
  EXPECT_EQ(number_text(10.0), "10");
  EXPECT_EQ(number_text(0.0), "0");
  EXPECT_EQ(number_text(-42.0), "-42");
  EXPECT_EQ(number_text(1e15), "1000000000000000");
}

TEST(JsonWriterTest, FractionsPrintInTheirShortestForm) {
  EXPECT_EQ(number_text(0.01), "0.01");
  EXPECT_EQ(number_text(-2.5), "-2.5");
  EXPECT_EQ(number_text(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(number_text(1.5e-7), "1.5e-07");
}

TEST(JsonWriterTest, IntegersAtAndBeyondTwoToThe53KeepTheirDoubleForm) {
  const double below = 9007199254740991.0;  // 2^53 - 1
  const double at = 9007199254740992.0;     // 2^53
  EXPECT_EQ(number_text(below), "9007199254740991");
  EXPECT_EQ(number_text(-below), "-9007199254740991");
  // Past the limit the text is std::to_chars' shortest form, which may be fixed or exponent.
  EXPECT_EQ(number_text(at), "9007199254740992");
  EXPECT_EQ(number_text(1e20), "1e+20");
  EXPECT_EQ(number_text(-1e300), "-1e+300");
}

TEST(JsonWriterTest, NegativeZeroPrintsAsZero) {
  EXPECT_EQ(number_text(-0.0), "0");
}

TEST(JsonWriterTest, NanAndInfinityPrintAsNull) {
  EXPECT_EQ(number_text(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(number_text(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(number_text(-std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(serialize(boost::json::object{{"sum", std::nan("")}}), R"({"sum":null})");
}

TEST(JsonWriterTest, IntegerKindsPrintUnchanged) {
  EXPECT_EQ(serialize(boost::json::value(std::numeric_limits<std::int64_t>::min())),
            "-9223372036854775808");
  EXPECT_EQ(serialize(boost::json::value(std::numeric_limits<std::uint64_t>::max())),
            "18446744073709551615");
}

TEST(JsonWriterTest, NestedContainersKeepOrderAndShape) {
  const boost::json::object document{
      {"name", "orders"},
      {"ok", true},
      {"missing", nullptr},
      {"items",
       boost::json::array{1, 2.5, boost::json::object{{"qty", 3.0}}, boost::json::array{}}},
      {"empty", boost::json::object{}}};
  EXPECT_EQ(
      serialize(document),
      R"({"name":"orders","ok":true,"missing":null,"items":[1,2.5,{"qty":3},[]],"empty":{}})");
  EXPECT_EQ(serialize(boost::json::array{10.0, "a"}), R"([10,"a"])");
}

TEST(JsonWriterTest, StringsAreEscaped) {
  EXPECT_EQ(serialize(boost::json::value("say \"hi\"\\")), R"("say \"hi\"\\")");
  EXPECT_EQ(serialize(boost::json::value("a\nb\tc\r\b\f")), R"("a\nb\tc\r\b\f")");
  EXPECT_EQ(serialize(boost::json::value(boost::json::string("\x01\x1f", 2))), R"("\u0001\u001f")");
  EXPECT_EQ(serialize(boost::json::value("caf\xc3\xa9 / \x7f")), "\"caf\xc3\xa9 / \x7f\"");
  EXPECT_EQ(serialize(boost::json::object{{"k\"ey", "v"}}), R"({"k\"ey":"v"})");
  EXPECT_EQ(serialize(boost::json::object{{"", ""}}), R"({"":""})");
}

TEST(JsonWriterTest, AppendAddsToWhatIsThere) {
  std::string line = "total=";
  append(line, boost::json::value(10.0));
  append(line, boost::json::object{{"a", 1}});
  EXPECT_EQ(line, R"(total=10{"a":1})");
}

TEST(JsonWriterTest, ParsingTheTextGivesTheSameValues) {
  const double numbers[] = {0.0,
                            -0.0,
                            1.0,
                            -1.0,
                            0.1,
                            1.0 / 3.0,
                            1e-320,
                            1e300,
                            2.5e15,
                            9007199254740991.0,
                            9007199254740992.0,
                            9007199254740994.0,
                            1.8446744073709552e19,
                            -1e19,
                            std::numeric_limits<double>::max(),
                            std::numeric_limits<double>::min(),
                            std::numeric_limits<double>::lowest()};
  for (double number : numbers) {
    const std::string text = number_text(number);
    const boost::json::value parsed = boost::json::parse(text);
    ASSERT_TRUE(parsed.is_number()) << text;
    EXPECT_EQ(parsed.to_number<double>(), number) << text;
  }

  const boost::json::value document = boost::json::parse(
      R"({"s":"line\nbreak \"quoted\" \u0007 é","a":[1,-2,3.25,true,null,{"x":[]}],)"
      R"("u":18446744073709551615,"i":-9223372036854775808})");
  EXPECT_EQ(boost::json::parse(serialize(document)), document);
}

TEST(JsonWriterTest, LongDocumentsAreWrittenWhole) {
  boost::json::array many;
  for (int i = 0; i < 20000; ++i) many.emplace_back(i + 0.5);
  const std::string text = serialize(many);
  EXPECT_EQ(boost::json::parse(text).as_array(), many);
  const std::string controls(5000, '\x01');
  EXPECT_EQ(boost::json::parse(serialize(boost::json::value(controls))).as_string(), controls);
  // The next (small) document does not carry anything over from the large one.
  EXPECT_EQ(serialize(boost::json::array{1.0}), "[1]");
}

}  // namespace
}  // namespace latencylab::core::json
