/** @file
 * The pattern compiler through its reference matcher (match_line): fixed
 * strings against a naive search in mask and list mode, case folding, -w,
 * regex assertions, splitting under a state budget, and rejected patterns.
 */
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <sstream>

#include "host/engine/patterns/pattern_set.hpp"

namespace agentsweep::engine {
namespace {

using namespace std::string_literals;
using Ids = std::vector<std::uint32_t>;

std::vector<PatternSpec> specs(const std::vector<std::string>& texts, bool literal,
                               bool case_insensitive = false, bool word = false) {
  std::vector<PatternSpec> out;
  for (const std::string& t : texts) out.push_back({t, literal, case_insensitive, word});
  return out;
}

Ids naive_hits(const std::vector<std::string>& patterns, const std::string& text) {
  Ids hits;
  for (std::uint32_t p = 0; p < patterns.size(); ++p)
    if (text.find(patterns[p]) != std::string::npos) hits.push_back(p);
  return hits;
}

TEST(PatternCompiler, OverlappingAndNestedFixedStrings) {
  const std::vector<std::string> patterns{"he", "she",  "his", "hers",
                                          "s",  "AKIA", "KIA", "\x00\xff"s};
  const PatternSet set = compile_patterns(specs(patterns, true));
  ASSERT_EQ(set.automata.size(), 1u);
  EXPECT_EQ(set.automata[0].kind, Automaton::Kind::kAhoCorasick);
  for (const std::string& text : {"ushers"s, "AKIKIA"s, "h"s, ""s, "xx\x00\xffyy"s, "shis"s})
    EXPECT_EQ(match_line(set, text), naive_hits(patterns, text)) << text;
}

TEST(PatternCompiler, RandomFixedStringSetsAgreeWithNaiveSearchInMaskAndListMode) {
  std::mt19937_64 rng(7);
  const auto random_string = [&](std::size_t max_length, int alphabet) {
    std::string s(1 + rng() % max_length, ' ');
    for (char& c : s)
      c = static_cast<char>('a' + static_cast<int>(rng() % static_cast<unsigned>(alphabet)));
    return s;
  };
  for (const std::size_t count : {1ul, 5ul, 64ul, 65ul, 3000ul}) {
    std::vector<std::string> patterns;
    for (std::size_t i = 0; i < count; ++i) patterns.push_back(random_string(6, 4));
    const PatternSet set = compile_patterns(specs(patterns, true));
    ASSERT_EQ(set.automata.size(), 1u);
    EXPECT_EQ(set.automata[0].list_mode(), count > 64);
    for (int t = 0; t < 200; ++t) {
      const std::string text = random_string(80, 5);
      ASSERT_EQ(match_line(set, text), naive_hits(patterns, text)) << text;
    }
  }
}

TEST(PatternCompiler, CaseInsensitiveFixedStringsFoldAsciiAndUnicode) {
  const PatternSet ascii = compile_patterns(specs({"ghp_", "private"}, true, true));
  EXPECT_EQ(ascii.automata[0].kind, Automaton::Kind::kAhoCorasick);
  EXPECT_EQ(match_line(ascii, "xGhP_ PRIVATE"), (Ids{0, 1}));
  // 'k' folds to U+212A KELVIN SIGN, so "key" needs the regex path.
  const PatternSet kelvin = compile_patterns(specs({"key"}, true, true));
  EXPECT_EQ(kelvin.automata[0].kind, Automaton::Kind::kRegexDfa);
  EXPECT_EQ(match_line(kelvin,
                       "\xe2\x84\xaa"
                       "EY"),
            (Ids{0}));
  EXPECT_EQ(match_line(compile_patterns(specs({"ÉTÉ"}, true, true)), "un été"), (Ids{0}));
  EXPECT_EQ(match_line(compile_patterns(specs({"a.b"}, true, true)), "AXB"), Ids{});
}

TEST(PatternCompiler, WordOptionNeedsNonWordNeighboursLikeGrep) {
  const PatternSet set = compile_patterns(specs({"key", "-x"}, true, false, true));
  EXPECT_EQ(match_line(set, "key"), (Ids{0}));
  EXPECT_EQ(match_line(set, "a key."), (Ids{0}));
  EXPECT_EQ(match_line(set, "keys monkey key_1"), Ids{});
  EXPECT_EQ(match_line(set, "keys then key"), (Ids{0}));
  // Unlike \b, -w accepts a pattern that starts with a non-word character after a space.
  EXPECT_EQ(match_line(set, "a -x b"), (Ids{1}));
  EXPECT_EQ(match_line(set, "a-x"), Ids{});
}

TEST(PatternCompiler, RegexAssertionsAreExact) {
  const PatternSet set = compile_patterns(
      specs({"^ab", "ab$", "\\bcd\\b", "\\Bef", "(?m)^gh$", "x[0-9]{2,3}y"}, false));
  EXPECT_EQ(match_line(set, "ab"), (Ids{0, 1}));
  EXPECT_EQ(match_line(set, "xab ab"), (Ids{1}));
  EXPECT_EQ(match_line(set, "abx"), (Ids{0}));
  EXPECT_EQ(match_line(set, "cd"), (Ids{2}));
  EXPECT_EQ(match_line(set, "acd cde"), Ids{});
  EXPECT_EQ(match_line(set, "ef xef"), (Ids{3}));
  EXPECT_EQ(match_line(set, "a\ngh\nb"), (Ids{4}));
  EXPECT_EQ(match_line(set, "x1y x12y"), (Ids{5}));
  EXPECT_EQ(match_line(set, "x1234y"), Ids{});
}

TEST(PatternCompiler, LargeSetsSplitUnderTheStateBudget) {
  std::vector<std::string> patterns;
  for (int i = 0; i < 40; ++i) patterns.push_back("id" + std::to_string(i) + "[a-f0-9]{6}z");
  CompileLimits limits;
  limits.max_states = 200;
  const PatternSet set = compile_patterns(specs(patterns, false), limits);
  EXPECT_GT(set.automata.size(), 1u);
  for (const Automaton& a : set.automata) EXPECT_LE(a.states(), 200u);
  EXPECT_EQ(match_line(set, "xx id17abc123z id3ffffffz"), (Ids{3, 17}));
}

TEST(PatternCompiler, DfasPastTheStateBudgetFallBackToTheNfaExactly) {
  // The DFA of [ab]*a[ab]{12} needs 2^13 states: with 50, most lines fall back.
  CompileLimits tiny;
  tiny.max_states = 50;
  const PatternSet set = compile_patterns(specs({"ok", "[ab]*a[ab]{12}c"}, false), tiny);
  bool falls_back = false;
  for (const Automaton& a : set.automata) {
    EXPECT_LE(a.states(), 50u);
    falls_back |= a.fallback_row != kernels::kNoFallback;
  }
  EXPECT_TRUE(falls_back);
  const std::string b20(20, 'b');
  EXPECT_EQ(match_line(set, "xx " + b20 + "a" + std::string(12, 'b') + "c ok"), (Ids{0, 1}));
  EXPECT_EQ(match_line(set, b20 + "a" + std::string(11, 'b') + "c"), Ids{});
  EXPECT_EQ(match_line(set, b20 + "a" + std::string(13, 'b') + "c"), Ids{});
  EXPECT_EQ(match_line(set,
                       "aabababababab"
                       "c"),
            (Ids{1}));
}

// The tables of every automaton of `patterns`, or the error with the pattern it names.
std::string compile_outcome(const std::vector<PatternSpec>& patterns, const CompileLimits& limits) {
  std::ostringstream out;
  try {
    for (const Automaton& a : compile_patterns(patterns, limits).automata) {
      out << a.fallback_row << " |";
      for (std::uint32_t id : a.pattern_ids) out << ' ' << id;
      for (std::uint32_t next : a.next) out << ' ' << next;
      for (std::uint64_t mask : a.masks) out << ' ' << mask;
      out << '\n';
    }
  } catch (const PatternError& e) {
    out << "pattern " << e.pattern() << ": " << e.what();
  }
  return out.str();
}

// Regexes' DFAs are built on several threads ahead of the pass that places
// them, with the whole memory budget. The set is the same as built one by one
// (one thread), also when the budget runs out partway: there, a DFA that no
// longer fits is built again within what is left, and falls back or stops
// the compile, naming its pattern.
TEST(PatternCompiler, TheSetIsTheSameForAnyNumberOfThreads) {
  std::vector<PatternSpec> mixed;
  std::mt19937 random(7);
  const char* shapes[] = {"key_[a-z0-9]{%d}", "(?i)token[=:][A-Za-z]{%d}", "[ab]*a[ab]{%d}c",
                          "ghp_[A-Za-z0-9]{%d}\\b", "x{%d}y"};
  for (int i = 0; i < 60; ++i) {
    char text[64];
    std::snprintf(text, sizeof text, shapes[i % 5], 3 + static_cast<int>(random() % 9));
    mixed.push_back({text, false});
  }
  // Two DFAs of about 160 KB each, past the small size: with 200 KB the
  // second gets what the first left, and falls back.
  const std::vector<PatternSpec> large = specs({"[ab]*a[ab]{12}c", "[cd]*c[cd]{12}e"}, false);
  const std::pair<const std::vector<PatternSpec>*, std::size_t> cases[] = {
      {&mixed, std::size_t{512} << 20},
      {&mixed, std::size_t{400} << 10},
      {&mixed, std::size_t{250} << 10},
      {&large, std::size_t{512} << 20},
      {&large, std::size_t{200} << 10}};
  for (const auto& [patterns, budget] : cases) {
    CompileLimits one;
    one.threads = 1;
    one.memory_bytes = budget;
    const std::string reference = compile_outcome(*patterns, one);
    for (const std::size_t threads : {2, 5}) {
      CompileLimits many = one;
      many.threads = threads;
      EXPECT_EQ(compile_outcome(*patterns, many), reference)
          << patterns->size() << " patterns, " << threads << " threads, budget " << budget;
    }
  }
}

TEST(PatternCompiler, PrefiltersGetTheirRoomBeforeRegexAutomataTakeTheRest) {
  // A prefiltered regex (factor "agt_") whose DFA, about 160 KB, is larger than the
  // budget: the DFA falls back past what is left, and the prefilter still fits.
  CompileLimits tight;
  tight.memory_bytes = std::size_t{100} << 10;
  const PatternSet set = compile_patterns(specs({"agt_[ab]*a[ab]{12}c"}, false), tight);
  ASSERT_EQ(set.automata.size(), 1u);
  EXPECT_NE(set.automata[0].fallback_row, kernels::kNoFallback);
  EXPECT_EQ(set.prefilters.size(), 1u);
}

TEST(PatternCompiler, RejectsWhatCannotRunAndNamesThePattern) {
  const auto error_of = [](const std::vector<PatternSpec>& patterns, CompileLimits limits = {}) {
    try {
      compile_patterns(patterns, limits);
    } catch (const PatternError& e) {
      return std::make_pair(e.pattern(), std::string(e.what()));
    }
    return std::make_pair(std::size_t{999}, std::string());
  };
  EXPECT_EQ(error_of(specs({"ok", ""}, true)).first, 1u);
  EXPECT_EQ(error_of(specs({"ok", "a*"}, false)).first, 1u);
  EXPECT_NE(error_of(specs({"ok", "a*"}, false)).second.find("empty"), std::string::npos);
  EXPECT_EQ(error_of(specs({"(a)\\1"}, false)).first, 0u);
  const auto huge = error_of(specs({"ok", "(?:a{1000}){1000}"}, false));
  EXPECT_EQ(huge.first, 1u);
  CompileLimits small_memory;
  small_memory.memory_bytes = 1000;
  EXPECT_EQ(error_of(specs({std::string(10000, 'x')}, true), small_memory).first, 0u);
}

}  // namespace
}  // namespace agentsweep::engine
