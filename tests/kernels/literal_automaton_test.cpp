/** @file
 * The Aho-Corasick automata against a naive search: overlapping patterns,
 * shared prefixes and suffixes, binary bytes, and pattern sets that span
 * several automata.
 */
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "host/engine/literal_compiler.hpp"
#include "kernels/literal_automaton.cuh"

namespace agentsweep::engine {
namespace {

std::vector<bool> automaton_hits(const std::vector<LiteralAutomaton>& automata,
                                 std::size_t patterns, const std::string& text) {
  std::vector<bool> hits(patterns, false);
  for (const LiteralAutomaton& a : automata) {
    const kernels::LiteralAutomatonView view{a.byte_class.data(), a.next.data(), a.matches.data(),
                                             a.stride};
    const std::uint64_t mask =
        kernels::match_literals(view, text.data(), static_cast<std::uint32_t>(text.size()));
    for (std::uint32_t bit = 0; bit < a.pattern_count; ++bit)
      if ((mask >> bit) & 1u) hits[a.first_pattern + bit] = true;
  }
  return hits;
}

std::vector<bool> naive_hits(const std::vector<std::string>& patterns, const std::string& text) {
  std::vector<bool> hits;
  for (const std::string& p : patterns) hits.push_back(text.find(p) != std::string::npos);
  return hits;
}

TEST(LiteralAutomaton, OverlappingAndNestedPatterns) {
  using namespace std::string_literals;
  const std::vector<std::string> patterns{"he", "she",  "his", "hers",
                                          "s",  "AKIA", "KIA", "\x00\xff"s};
  const auto automata = compile_literals(patterns, 1 << 20);
  for (const std::string& text : {"ushers"s, "AKIKIA"s, "h"s, ""s, "xx\x00\xffyy"s, "shis"s})
    EXPECT_EQ(automaton_hits(automata, patterns.size(), text), naive_hits(patterns, text)) << text;
}

TEST(LiteralAutomaton, RandomPatternSetsAgreeWithNaiveSearch) {
  std::mt19937_64 rng(7);
  const auto random_string = [&](std::size_t max_length, int alphabet) {
    std::string s(1 + rng() % max_length, ' ');
    for (char& c : s)
      c = static_cast<char>('a' + static_cast<int>(rng() % static_cast<unsigned>(alphabet)));
    return s;
  };
  for (const std::size_t count : {1ul, 5ul, 64ul, 65ul, 300ul}) {
    std::vector<std::string> patterns;
    for (std::size_t i = 0; i < count; ++i) patterns.push_back(random_string(6, 4));
    const auto automata = compile_literals(patterns, 64 << 20);
    EXPECT_EQ(automata.size(), (count + 63) / 64);
    for (int t = 0; t < 200; ++t) {
      const std::string text = random_string(80, 5);
      ASSERT_EQ(automaton_hits(automata, count, text), naive_hits(patterns, text)) << text;
    }
  }
}

TEST(LiteralAutomaton, RejectsEmptyPatternsAndBudgetOverflow) {
  EXPECT_THROW(compile_literals({"ok", ""}, 1 << 20), std::invalid_argument);
  EXPECT_THROW(compile_literals({std::string(10000, 'x')}, 1000), std::invalid_argument);
}

}  // namespace
}  // namespace agentsweep::engine
