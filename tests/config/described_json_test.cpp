// The walker on small test-only structs: the parts of its behaviour Config's own field types do
// not exercise (signed ranges, nesting depth, key lookup).
#include "config/described_json.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/describe/enum.hpp>
#include <boost/json/parse.hpp>
#include <cstdint>

#include "config/config_loader.hpp"
#include "config_error.hpp"

namespace latencylab::config::detail {
namespace {

using ::testing::HasSubstr;

BOOST_DEFINE_ENUM_CLASS(Colour, red, green)

struct Inner {
  std::int8_t small = 0;
  Colour colour = Colour::red;
};
BOOST_DESCRIBE_STRUCT(Inner, (), (small, colour))

struct Base {
  double ratio = 0.5;
};
BOOST_DESCRIBE_STRUCT(Base, (), (ratio))

struct Outer : Base {
  std::string name = "x";
  Inner inner;
};
BOOST_DESCRIBE_STRUCT(Outer, (Base), (name, inner))

const Where kTest{"test", ""};

std::string read_error(const char* json) {
  Outer outer;
  return config_error([&] { read_value(boost::json::parse(json), outer, kTest); });
}

TEST(DescribedJson, SignedIntegerRangeComesFromTheFieldType) {
  Outer outer;
  read_value(boost::json::parse(R"({"inner": {"small": -128}})"), outer, kTest);
  EXPECT_EQ(outer.inner.small, -128);
  EXPECT_THAT(read_error(R"({"inner": {"small": 128}})"),
              HasSubstr("test: inner.small: expected an integer in [-128, 127], got 128"));
  EXPECT_THAT(read_error(R"({"inner": {"small": -129}})"), HasSubstr("got -129"));
}

TEST(DescribedJson, LeavesAreVisitedWithDottedKeysInDeclarationOrderBaseFirst) {
  Outer outer;
  std::vector<std::string> keys;
  for_each_leaf(outer, "", [&](const std::string& key, auto&) { keys.push_back(key); });
  EXPECT_EQ(keys, (std::vector<std::string>{"ratio", "name", "inner.small", "inner.colour"}));
}

TEST(DescribedJson, StructsAreVisitedParentsFirst) {
  Outer outer;
  std::vector<std::string> keys;
  for_each_struct(outer, "root", [&](const std::string& key, auto&) { keys.push_back(key); });
  EXPECT_EQ(keys, (std::vector<std::string>{"root.inner"}));
}

TEST(DescribedJson, VisitKeyFindsLeavesAndStructsAndRejectsUnknownPaths) {
  Outer outer;
  EXPECT_TRUE(visit_key(outer, "inner.colour", [](auto& field) {
    if constexpr (std::is_same_v<std::remove_reference_t<decltype(field)>, Colour>) {
      field = Colour::green;
    }
  }));
  EXPECT_EQ(outer.inner.colour, Colour::green);

  int visits = 0;
  EXPECT_TRUE(visit_key(outer, "inner", [&](auto&) { ++visits; }));
  EXPECT_EQ(visits, 1);
  EXPECT_FALSE(visit_key(outer, "inner.missing", [&](auto&) { ++visits; }));
  EXPECT_FALSE(visit_key(outer, "name.length", [&](auto&) { ++visits; }));
  EXPECT_FALSE(visit_key(outer, "", [&](auto&) { ++visits; }));
  EXPECT_EQ(visits, 1);
}

TEST(DescribedJson, TextBecomesJsonUnlessTheFieldIsAString) {
  EXPECT_EQ(value_from_text("0.25"), 0.25);
  EXPECT_EQ(value_from_text("[1,2]"), boost::json::parse("[1,2]"));
  EXPECT_EQ(value_from_text("green"), "green");
  EXPECT_EQ(value_from_text_for<std::string>("123"), "123");
  EXPECT_EQ(value_from_text_for<std::string>(R"("quoted")"), R"("quoted")");
  EXPECT_EQ(value_from_text_for<double>("123"), 123);
}

TEST(DescribedJson, WriteValueMirrorsReadValue) {
  Outer outer;
  outer.ratio = 0.75;
  outer.name = "n";
  outer.inner = Inner{.small = -5, .colour = Colour::green};
  const boost::json::value json = write_value(outer);
  EXPECT_EQ(json, boost::json::parse(
                      R"({"ratio":0.75,"name":"n","inner":{"small":-5,"colour":"green"}})"));
  Outer reread;
  read_value(json, reread, kTest);
  EXPECT_EQ(write_value(reread), json);
}

TEST(DescribedJson, ShowQuotesStringsAndWritesPlainNumbersAndShortensLongValues) {
  EXPECT_EQ(show(boost::json::value(0.7)), "0.7");
  EXPECT_EQ(show(boost::json::value("a")), R"("a")");
  const std::string shown = show(boost::json::value(std::string(500, 'z')));
  EXPECT_LT(shown.size(), 100U);
  EXPECT_TRUE(shown.ends_with("..."));
}

}  // namespace
}  // namespace latencylab::config::detail
