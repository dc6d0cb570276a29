/** @file
 * The reference matcher's reading of events, which backends will be held to: decoded
 * strings, numbers as written, duplicate keys, containers, paths through arrays, and
 * lines that are not JSON objects.
 */
#include <gtest/gtest.h>

#include "host/rules/event_fields.hpp"
#include "rule_test_support.hpp"

namespace agentsweep::rules {
namespace {

using testing::compile;

TEST(EventFields, ValuesAsThePatternEngineSeesThem) {
  const auto texts = field_texts(
      R"({"s":"a\"b\u00e9\n","n":1.50,"i":-7,"t":true,"z":null,"o":{"k":1},"a":[1],"d":1,"d":"last"})",
      {"s", "n", "i", "t", "z", "o", "a", "d", "missing", "o.k"});
  ASSERT_TRUE(texts);
  const std::vector<std::optional<std::string>> expected = {
      "a\"b\u00e9\n", "1.50",       "-7",   "true",       std::nullopt,
      std::nullopt,   std::nullopt, "last", std::nullopt, "1"};
  EXPECT_EQ(*texts, expected);
  EXPECT_FALSE(field_texts("not json", {"a"}));
  EXPECT_FALSE(field_texts("[1,2]", {"a"}));
  EXPECT_FALSE(field_texts(R"({"a":1} trailing)", {"a"}));
}

TEST(EventFields, PathsFollowObjectsOnly) {
  const auto texts =
      field_texts(R"({"a":[{"b":"in array"}],"c":{"d":{"e":"deep"}},"x.y":"dotted key"})",
                  {"a.b", "c.d.e", "x.y"});
  ASSERT_TRUE(texts);
  EXPECT_EQ((*texts)[0], std::nullopt);
  EXPECT_EQ((*texts)[1], "deep");
  EXPECT_EQ((*texts)[2], std::nullopt);  // a path's dots always separate keys
  // A later duplicate that is an object hides the earlier string.
  EXPECT_EQ((*field_texts(R"({"k":"v","k":{"x":1}})", {"k"}))[0], std::nullopt);
}

TEST(ReferenceMatcher, OnlyJsonObjectsAreEvents) {
  const CompiledRule rule = compile("k: [secret]\ncondition: k");
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"m":"a secret"})"));
  EXPECT_FALSE(m.matches("secret, but not JSON"));
  EXPECT_FALSE(m.matches(R"(["secret"])"));
  const CompiledRule negated = compile("k: [secret]\ncondition: not k");
  EXPECT_FALSE(RuleMatcher(negated).matches("{broken"));
}

TEST(ReferenceMatcher, FieldPatternsSeeNumbersAsWritten) {
  const CompiledRule rule = compile("s:\n  n|re: '^1\\.50$'\ncondition: s");
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"n":1.50})"));
  EXPECT_FALSE(m.matches(R"({"n":1.5})"));
  EXPECT_TRUE(m.matches(R"({"n":"1.50"})"));
}

}  // namespace
}  // namespace agentsweep::rules
