/** @file
 * Values that need the field's JSON value: numbers, booleans, null, exists, neq, numeric
 * comparisons, cidr, fieldref and time parts, as value predicates and as matches on
 * sample events; and field mapping.
 */
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

namespace agentsweep::rules {
namespace {

using testing::compile;
using testing::issue_of;

TEST(ValuePredicates, NumbersCompareAsJsonValuesOrAsWrittenText) {
  const CompiledRule rule = compile("s:\n  EventID: 4688\ncondition: s");
  EXPECT_TRUE(rule.patterns.empty());
  ASSERT_EQ(rule.values.size(), 1u);
  EXPECT_EQ(rule.values[0].test, ValueTest::kNumber);
  EXPECT_EQ(rule.values[0].comparison, Comparison::kEqual);
  EXPECT_EQ(rule.values[0].number, Number::of_integer(4688));
  EXPECT_EQ(rule.values[0].text, "4688");
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"EventID":4688})"));
  EXPECT_TRUE(m.matches(R"({"EventID":4688.0})"));
  EXPECT_TRUE(m.matches(R"({"EventID":"4688"})"));
  EXPECT_FALSE(m.matches(R"({"EventID":46880})"));
  EXPECT_FALSE(m.matches(R"({"EventID":"04688"})"));
  // Quoted, it is a string and matches the value's text.
  const CompiledRule quoted = compile("s:\n  EventID: '4688'\ncondition: s");
  ASSERT_EQ(quoted.patterns.size(), 1u);
  EXPECT_EQ(quoted.patterns[0].text, "^4688$");
  EXPECT_TRUE(RuleMatcher(quoted).matches(R"({"EventID":4688})"));
  // A hexadecimal number also matches its spelling, as logs write it.
  EXPECT_TRUE(RuleMatcher(compile("s:\n  Status: 0xC000006A\ncondition: s"))
                  .matches(R"({"Status":"0xc000006a"})"));
}

TEST(ValuePredicates, ComparisonsNeedJsonNumbers) {
  const CompiledRule rule = compile(R"(s:
  bytes_out|gte: 50000000
  latency_ms|lt: 1.5
condition: s)");
  ASSERT_EQ(rule.values.size(), 2u);
  EXPECT_EQ(rule.values[0].comparison, Comparison::kGreaterOrEqual);
  EXPECT_EQ(rule.values[1].comparison, Comparison::kLess);
  EXPECT_EQ(rule.values[1].number, Number::of_real(1.5));
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"bytes_out":50000000,"latency_ms":1})"));
  EXPECT_TRUE(m.matches(R"({"bytes_out":18446744073709551615,"latency_ms":-3e2})"));
  EXPECT_FALSE(m.matches(R"({"bytes_out":49999999,"latency_ms":1})"));
  EXPECT_FALSE(m.matches(R"({"bytes_out":"60000000","latency_ms":1})"));
  EXPECT_FALSE(m.matches(R"({"bytes_out":50000000,"latency_ms":1.5})"));
  for (const char* op : {"gt", "lte"}) {
    const CompiledRule r = compile(std::string("s:\n  n|") + op + ": 10\ncondition: s");
    EXPECT_EQ(RuleMatcher(r).matches(R"({"n":10})"), op == std::string("lte")) << op;
  }
  EXPECT_NE(issue_of("s:\n  n|gt: abc\ncondition: s").reason.find("compares numbers"),
            std::string::npos);
}

TEST(ValuePredicates, BooleansNullAndExists) {
  const CompiledRule rule = compile(R"(s:
  enabled: true
  operator: null
  key|exists: true
  gone|exists: false
condition: s)");
  ASSERT_EQ(rule.values.size(), 4u);
  EXPECT_EQ(rule.values[0].test, ValueTest::kBoolean);
  EXPECT_EQ(rule.values[1].test, ValueTest::kNull);
  EXPECT_EQ(rule.values[2].test, ValueTest::kExists);
  EXPECT_EQ(to_string(rule.program), "v0 v1 and v2 and v3 not and");
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"enabled":true,"key":1})"));
  EXPECT_TRUE(m.matches(R"({"enabled":true,"operator":null,"key":null})"));
  EXPECT_FALSE(m.matches(R"({"enabled":"true","key":1})"));
  EXPECT_FALSE(m.matches(R"({"enabled":true,"operator":"op","key":1})"));
  EXPECT_FALSE(m.matches(R"({"enabled":true,"key":1,"gone":null})"));
  EXPECT_NE(issue_of("s:\n  key|exists: maybe\ncondition: s").reason.find("exists: true"),
            std::string::npos);
}

TEST(ValuePredicates, NeqNegatesTheItemSoAbsentFieldsDiffer) {
  const CompiledRule rule = compile(R"(s:
  status|neq:
    - 200
    - 201
condition: s)");
  EXPECT_EQ(to_string(rule.program), "v0 v1 or not");
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"status":403})"));
  EXPECT_FALSE(m.matches(R"({"status":201})"));
  EXPECT_TRUE(m.matches(R"({"other":1})"));
  const CompiledRule text = compile("s:\n  action|neq: post.create\ncondition: s");
  EXPECT_EQ(to_string(text.program), "p0 not");
  EXPECT_FALSE(RuleMatcher(text).matches(R"({"action":"POST.create"})"));
}

TEST(ValuePredicates, CidrOnIpv4AndIpv6) {
  const CompiledRule rule = compile(R"(s:
  request.ip|cidr:
    - 10.0.0.0/8
    - 2001:db8::/32
condition: s)");
  ASSERT_EQ(rule.values.size(), 2u);
  EXPECT_EQ(rule.values[0].test, ValueTest::kCidr);
  EXPECT_EQ(rule.values[0].network.prefix_length, 8);
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"request":{"ip":"10.1.2.3"}})"));
  EXPECT_TRUE(m.matches(R"({"request":{"ip":"2001:db8::7"}})"));
  EXPECT_FALSE(m.matches(R"({"request":{"ip":"146.171.20.15"}})"));
  EXPECT_FALSE(m.matches(R"({"request":{"ip":"10.1.2"}})"));
  EXPECT_NE(issue_of("s:\n  ip|cidr: 10.0.0.0/40\ncondition: s").reason.find("not an IPv4"),
            std::string::npos);
}

TEST(ValuePredicates, FieldRefComparesTwoFields) {
  const CompiledRule rule = compile(R"(same:
  auth.owner|fieldref: actor.agent_id
inside:
  request.path|fieldref|contains: actor.agent_id
condition: same or inside)");
  EXPECT_EQ(rule.fields,
            (std::vector<std::string>{"auth.owner", "actor.agent_id", "request.path"}));
  ASSERT_EQ(rule.values.size(), 2u);
  EXPECT_EQ(rule.values[0].test, ValueTest::kFieldRef);
  EXPECT_EQ(rule.values[0].other_field, 1);
  EXPECT_EQ(rule.values[1].how, FieldRefMatch::kContains);
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"actor":{"agent_id":"agt_1"},"auth":{"owner":"agt_1"}})"));
  EXPECT_FALSE(m.matches(R"({"actor":{"agent_id":"agt_1"},"auth":{"owner":"AGT_1"}})"));
  EXPECT_TRUE(
      m.matches(R"({"actor":{"agent_id":"agt_1"},"request":{"path":"/v1/agents/agt_1/x"}})"));
  EXPECT_FALSE(
      m.matches(R"({"actor":{"agent_id":"agt_1"},"request":{"path":"/v1/agents/agt_2"}})"));
  EXPECT_FALSE(m.matches(R"({"auth":{"owner":"agt_1"}})"));
}

TEST(ValuePredicates, TimePartsOfIsoTimestamps) {
  const CompiledRule rule = compile(R"(night:
  ts|hour|lt: 5
march:
  ts|month: 3
condition: night and march)");
  ASSERT_EQ(rule.values.size(), 2u);
  EXPECT_EQ(rule.values[0].test, ValueTest::kTimePart);
  EXPECT_EQ(rule.values[0].part, TimePart::kHour);
  EXPECT_EQ(rule.values[0].comparison, Comparison::kLess);
  EXPECT_EQ(rule.values[1].comparison, Comparison::kEqual);
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"ts":"2026-03-01T04:59:59.999Z"})"));
  EXPECT_FALSE(m.matches(R"({"ts":"2026-03-01T05:00:00.000Z"})"));
  EXPECT_FALSE(m.matches(R"({"ts":"2026-04-01T01:00:00.000Z"})"));
  EXPECT_FALSE(m.matches(R"({"ts":1772337600})"));
  for (const auto& [modifier, line, expected] :
       {std::tuple{"minute", R"({"ts":"2026-03-01T12:34:00Z"})", 34},
        {"day", R"({"ts":"2026-03-01T12:34:00Z"})", 1},
        {"week", R"({"ts":"2026-03-01T12:34:00Z"})", 9},
        {"year", R"({"ts":"2026-03-01T12:34:00Z"})", 2026}}) {
    const CompiledRule r = compile(std::string("s:\n  ts|") + modifier + ": " +
                                   std::to_string(expected) + "\ncondition: s");
    EXPECT_TRUE(RuleMatcher(r).matches(line)) << modifier;
  }
}

TEST(ValuePredicates, FieldMappingSendsAFieldToItsJsonPaths) {
  LoadOptions options;
  options.fields.add("User", {"actor.user", "target.user"});
  options.fields.add("Agent", {"actor.agent_id"});
  const CompiledRule rule = compile(R"(s:
  User: root
  Agent|startswith: agt_
condition: s)",
                                    options);
  EXPECT_EQ(rule.fields, (std::vector<std::string>{"actor.user", "target.user", "actor.agent_id"}));
  EXPECT_EQ(to_string(rule.program), "p0 p1 or p2 and");
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"target":{"user":"ROOT"},"actor":{"agent_id":"agt_x"}})"));
  EXPECT_FALSE(m.matches(R"({"User":"root","actor":{"agent_id":"agt_x"}})"));
  EXPECT_THROW(options.fields.add("Bad", {"a..b"}), std::invalid_argument);
}

}  // namespace
}  // namespace agentsweep::rules
