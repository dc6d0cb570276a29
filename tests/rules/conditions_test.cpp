/** @file
 * Conditions: operators and precedence, parentheses, `x of` selectors, condition lists,
 * the postfix programs they compile to, errors with their position, and Sigma 1.x
 * aggregations reported as not yet supported.
 */
#include <gtest/gtest.h>

#include "host/rules/condition_parser.hpp"
#include "rule_test_support.hpp"

namespace agentsweep::rules {
namespace {

using testing::compile;
using testing::issue_of;

/// Four search identifiers a, b, c, _d, each a keyword of its own name.
std::string program_of(const std::string& condition) {
  return to_string(
      compile("a: [aaa]\nb: [bbb]\nc: [ccc]\n_d: [ddd]\ncondition: " + condition).program);
}

TEST(Conditions, PrecedenceOrAndNotParentheses) {
  EXPECT_EQ(program_of("a or b and c"), "p0 p1 p2 and or");
  EXPECT_EQ(program_of("(a or b) and c"), "p0 p1 or p2 and");
  EXPECT_EQ(program_of("not a and b"), "p0 not p1 and");
  EXPECT_EQ(program_of("not (a and b)"), "p0 p1 and not");
  EXPECT_EQ(program_of("a and not not b"), "p0 p1 not not and");
  EXPECT_EQ(program_of("a or b or c"), "p0 p1 or p2 or");
}

TEST(Conditions, SelectorsOverIdentifierPatterns) {
  EXPECT_EQ(program_of("1 of them"), "p0 p1 or p2 or");  // _d is left out
  EXPECT_EQ(program_of("all of them"), "p0 p1 and p2 and");
  EXPECT_EQ(program_of("any of _*"), "p0");  // asked for explicitly
  EXPECT_EQ(program_of("1 of a* and not all of b*"), "p0 p1 not and");
  const CompiledRule rule = compile(R"(selection_img: {Image|endswith: '\x.exe'}
selection_cli: {CommandLine|contains: ' -y'}
filter_a: {User: admin}
filter_b: {User: system}
condition: all of selection_* and not 1 of filter_*)");
  EXPECT_EQ(to_string(rule.program), "p0 p1 and p2 p3 or not and");
  RuleMatcher m(rule);
  EXPECT_TRUE(m.matches(R"({"Image":"C:\\x.exe","CommandLine":"x -y","User":"bob"})"));
  EXPECT_FALSE(m.matches(R"({"Image":"C:\\x.exe","CommandLine":"x -y","User":"SYSTEM"})"));
  EXPECT_FALSE(m.matches(R"({"Image":"C:\\x.exe","CommandLine":"x","User":"bob"})"));
}

TEST(Conditions, ConditionListMeansAnyOfThem) {
  const CompiledRule rule = compile("a: [aaa]\nb: [bbb]\ncondition:\n  - a\n  - b");
  EXPECT_EQ(to_string(rule.program), "p0 p1 or");
  EXPECT_EQ(rule.condition, "a or b");
}

TEST(Conditions, ProgramDepthAndEvaluation) {
  const CompiledRule rule =
      compile("a: [aaa]\nb: [bbb]\nc: [ccc]\ncondition: a and (b or (c and not a))");
  EXPECT_EQ(to_string(rule.program), "p0 p1 p2 p0 not and or and");
  EXPECT_EQ(rule.program.max_depth, 4u);
  const bool t = true, f = false;
  for (const bool a : {f, t})
    for (const bool b : {f, t})
      for (const bool c : {f, t}) {
        const bool results[] = {a, b, c};
        EXPECT_EQ(evaluate(rule.program, results, {}), a && (b || (c && !a)));
      }
}

TEST(Conditions, UnusedIdentifiersCompileToNoPredicates) {
  const CompiledRule rule = compile("a: [aaa]\nunused: {Field: x}\ncondition: a");
  EXPECT_EQ(rule.patterns.size(), 1u);
  EXPECT_TRUE(rule.fields.empty());
}

TEST(Conditions, ErrorsNameTheConditionThePositionAndTheFix) {
  const RuleIssue unknown = issue_of("a: [aaa]\nb: [bbb]\ncondition: a and c");
  EXPECT_EQ(unknown.line, 7);
  EXPECT_EQ(unknown.reason,
            "condition 'a and c', at character 7: unknown search identifier 'c'; the "
            "detection defines a, b");
  EXPECT_NE(
      issue_of("a: [aaa]\ncondition: 1 of x*").reason.find("'x*' matches no search identifier"),
      std::string::npos);
  EXPECT_NE(issue_of("a: [aaa]\ncondition: (a").reason.find("missing ')'"), std::string::npos);
  EXPECT_NE(issue_of("a: [aaa]\ncondition: a b").reason.find("unexpected 'b'"), std::string::npos);
  EXPECT_NE(issue_of("a: [aaa]\ncondition: a and").reason.find("the condition ends"),
            std::string::npos);
  EXPECT_NE(issue_of("a: [aaa]\ncondition: a & b").reason.find("unexpected character '&'"),
            std::string::npos);
  EXPECT_NE(issue_of("a: [aaa]").reason.find("no condition"), std::string::npos);
}

TEST(Conditions, Sigma1AggregationsAreCheckedAndNotYetSupported) {
  for (const char* aggregation : {"a | count() > 5", "a | count(User) by Host >= 10",
                                  "a and not b | near b", "a | sum(bytes) by src < 3"}) {
    const RuleIssue issue = issue_of(std::string("a: [aaa]\nb: [bbb]\ncondition: ") + aggregation);
    EXPECT_EQ(issue.kind, IssueKind::kNotYetSupported) << aggregation;
    EXPECT_NE(issue.reason.find("not yet supported (needs the aggregation engine)"),
              std::string::npos)
        << issue.reason;
  }
  const RuleIssue bad = issue_of("a: [aaa]\ncondition: a | count( > 5");
  EXPECT_EQ(bad.kind, IssueKind::kRejected);
  EXPECT_NE(bad.reason.find("expected ')'"), std::string::npos) << bad.reason;
  const RuleIssue near_unknown = issue_of("a: [aaa]\ncondition: a | near zz");
  EXPECT_EQ(near_unknown.kind, IssueKind::kRejected);
  const RuleIssue timeframe = issue_of("a: [aaa]\ntimeframe: 30s\ncondition: a");
  EXPECT_EQ(timeframe.kind, IssueKind::kNotYetSupported);
  EXPECT_EQ(timeframe.line, 6);
}

}  // namespace
}  // namespace agentsweep::rules
