/** @file
 * Required factors of regexes (the literal prefilter's input), and the
 * prefilters compiled from them: which automata a line is a candidate of.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "host/engine/patterns/pattern_set.hpp"
#include "host/engine/patterns/prefilter_builder.hpp"
#include "host/engine/patterns/regex/regex_parser.hpp"
#include "host/engine/patterns/required_factors.hpp"

namespace agentsweep::engine {
namespace {

using Factors = std::optional<std::vector<std::string>>;

Factors factors_of(const std::string& pattern, bool case_insensitive = false) {
  return required_factors(regex::parse_regex(pattern, {case_insensitive, false}));
}

TEST(RequiredFactors, EveryMatchContainsOneOfThem) {
  const struct {
    const char* pattern;
    Factors expected;
  } cases[] = {
      {"hello", std::vector<std::string>{"hello"}},
      {"(?i)HeLLo", std::vector<std::string>{"hello"}},
      {"AKIA[0-9A-Z]{16}", std::vector<std::string>{"akia"}},
      {"ghp_[0-9a-zA-Z]{36}", std::vector<std::string>{"ghp_"}},
      {"foo|bar", std::vector<std::string>{"bar", "foo"}},
      {"(?:foo|bar)baz", std::vector<std::string>{"barbaz", "foobaz"}},
      {"[ab]cde", std::vector<std::string>{"acde", "bcde"}},
      {"x*abc", std::vector<std::string>{"abc"}},
      // A starred part may be absent: "abcdef" is not required, either side is.
      {"abc(?:x)*def", std::vector<std::string>{"abc"}},
      {"(?:abc)+", std::vector<std::string>{"abc"}},
      {"(?:ab){2}", std::vector<std::string>{"abab"}},
      {"\\bkey\\b", std::vector<std::string>{"key"}},
      {"^admin\\.", std::vector<std::string>{"admin."}},
      // Two required runs: the longer one is kept.
      {"token-[a-z]+-secret", std::vector<std::string>{"-secret"}},
      {"\\d{3}-abcd", std::vector<std::string>{"-abcd"}},
      // Unicode folding of k and s is kept exact: KELVIN SIGN, LONG S.
      {"(?i)kelvin", std::vector<std::string>{"kelvin",
                                              "\xe2\x84\xaa"
                                              "elvin"}},
      {"(?i)secret", std::vector<std::string>{"secret",
                                              "\xc5\xbf"
                                              "ecret"}},
      {"caf\xc3\xa9", std::vector<std::string>{"caf\xc3\xa9"}},
      // No factor worth a prefilter: the pattern runs on every line.
      {"ab", std::nullopt},
      {"foo|b", std::nullopt},
      {"abc*", std::nullopt},
      {"(?:abc)?x", std::nullopt},
      {"a.b.c", std::nullopt},
      {"[a-z]{5}", std::nullopt},
      {"\\w+@\\w+", std::nullopt},
      {"\\pL{4}", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(factors_of(c.pattern), c.expected) << c.pattern;
}

TEST(RequiredFactors, ShortestFactorFollowsTheLimit) {
  FactorLimits limits;
  limits.min_length = 1;
  EXPECT_EQ(required_factors(regex::parse_regex("a[bc]", {}), limits),
            (std::vector<std::string>{"ab", "ac"}));
  limits.min_length = 8;
  EXPECT_EQ(required_factors(regex::parse_regex("password", {}), limits),
            std::vector<std::string>{"password"});
  EXPECT_EQ(required_factors(regex::parse_regex("secret", {}), limits), std::nullopt);
}

TEST(Prefilter, AutomataWithFactorsRunOnlyOnCandidates) {
  const std::vector<PatternSpec> specs{
      {"AKIA[0-9A-Z]{16}", false},
      {"(?i)auth=\\S+", false},
      {"[a-z]+@[a-z]+", false},              // no factor: every line
      {"secret", false, false, true},        // -w: still a regex with a factor
      {"plain fixed string", true},          // Aho-Corasick: no prefilter needed
      {"token\\d+", false, false, false, 0}  // another scope
  };
  const PatternSet set = compile_patterns(specs);
  ASSERT_EQ(set.factors.size(), specs.size());
  EXPECT_EQ(set.factors[0], std::vector<std::string>{"akia"});
  EXPECT_EQ(set.factors[1], std::vector<std::string>{"auth="});
  EXPECT_TRUE(set.factors[2].empty());
  EXPECT_EQ(set.factors[3], std::vector<std::string>{"secret"});
  EXPECT_TRUE(set.factors[4].empty());
  EXPECT_EQ(set.factors[5], std::vector<std::string>{"token"});
  ASSERT_EQ(set.prefilters.size(), 2u);

  const auto automaton_of = [&](std::uint32_t pattern) {
    for (std::uint32_t a = 0; a < set.automata.size(); ++a)
      for (std::uint32_t id : set.automata[a].pattern_ids)
        if (id == pattern) return a;
    return ~0u;
  };
  const Prefilter& line =
      set.prefilters[0].field == kWholeLine ? set.prefilters[0] : set.prefilters[1];
  // The factorless regex shares no automaton with the prefiltered ones.
  for (std::uint32_t a : line.slot_automata) EXPECT_NE(a, automaton_of(2));
  const auto candidate_of = [&](const std::string& text, std::uint32_t pattern) {
    const std::vector<std::uint32_t> found = candidate_automata(line, text);
    return std::find(found.begin(), found.end(), automaton_of(pattern)) != found.end();
  };
  EXPECT_TRUE(candidate_of("key akia (lower case: a candidate, not a match)", 0));
  EXPECT_FALSE(candidate_of("key AKI A", 0));
  EXPECT_TRUE(candidate_of("AUTH=x", 1));
  EXPECT_FALSE(candidate_of("AUTH =x", 1));
  EXPECT_TRUE(candidate_of("a SECRET", 3));  // ASCII case folded: a candidate only
  EXPECT_FALSE(candidate_of("token1", 5));   // another scope's pattern
}

/// Past 2,048 prefiltered regexes in a scope, small ones share automata, so
/// the per-line candidate marks stay bounded; they are still prefiltered.
TEST(Prefilter, ThousandsOfSmallRegexesShareAutomata) {
  std::vector<PatternSpec> specs;
  for (int i = 0; i < 2100; ++i) specs.push_back({"id" + std::to_string(i) + "x[0-9]", false});
  const PatternSet set = compile_patterns(specs);
  ASSERT_EQ(set.prefilters.size(), 1u);
  EXPECT_LT(set.automata.size(), 100u);
  EXPECT_EQ(set.prefilters[0].slot_automata.size(), set.automata.size());
  EXPECT_EQ(match_line(set, "a id2099x5 b"), std::vector<std::uint32_t>{2099});
  EXPECT_EQ(candidate_automata(set.prefilters[0], "id7x3").size(), 1u);
  EXPECT_TRUE(candidate_automata(set.prefilters[0], "no factor here").empty());
}

}  // namespace
}  // namespace agentsweep::engine
