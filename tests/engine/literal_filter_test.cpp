/** @file
 * The q-gram literal filter (kernels/literal_filter.cuh) against a naive
 * search: it passes every text that holds a literal, wherever it lies (line
 * start, line end, overlapping others), and with its verification step it
 * passes nothing else without case folding; with folding, nothing that holds
 * no literal in either case of its letters.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "host/engine/patterns/literal_filter.hpp"

namespace agentsweep::engine {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool holds_any(const std::vector<std::string>& literals, const std::string& text, bool fold) {
  const std::string haystack = fold ? lower(text) : text;
  return std::any_of(literals.begin(), literals.end(), [&](const std::string& literal) {
    return haystack.find(fold ? lower(literal) : literal) != std::string::npos;
  });
}

bool may_match(const LiteralFilter& filter, const std::string& text) {
  return filter.view().may_match(text.data(), static_cast<std::uint32_t>(text.size()));
}

TEST(LiteralFilter, StepFollowsTheShortestLiteralAndShortSetsGetNone) {
  EXPECT_FALSE(build_literal_filter({"abcd", "longer literal"}, false, 1 << 20).present());
  EXPECT_EQ(build_literal_filter({"abcde", "longer literal"}, false, 1 << 20).step, 2u);
  EXPECT_EQ(build_literal_filter({"abcdefghij"}, false, 1 << 20).step, 7u);
  EXPECT_EQ(build_literal_filter({std::string(100, 'x')}, false, 1 << 20).step, 8u);
  EXPECT_FALSE(build_literal_filter({"abcdefghij"}, false, 1000).present()) << "past max_bytes";
  EXPECT_FALSE(build_literal_filter({}, false, 1 << 20).present());
  // 20,000 literals of 20 bytes: 160,000 windows need more words than stay in cache.
  std::vector<std::string> many;
  for (int i = 0; i < 20000; ++i) many.push_back("ioc-" + std::to_string(1000000000000000 + i));
  EXPECT_FALSE(build_literal_filter(many, false, 1 << 30).present());
  many.resize(2000);
  EXPECT_TRUE(build_literal_filter(many, false, 1 << 30).present());
}

TEST(LiteralFilter, PassesExactlyTheTextsThatHoldALiteral) {
  std::mt19937_64 rng(11);
  const auto random_string = [&](std::size_t length, int alphabet) {
    std::string s(length, ' ');
    for (char& c : s) c = static_cast<char>('a' + static_cast<int>(rng() % alphabet));
    return s;
  };
  for (const std::size_t count : {1ul, 7ul, 100ul, 2000ul}) {
    std::vector<std::string> literals;
    for (std::size_t i = 0; i < count; ++i) literals.push_back(random_string(5 + rng() % 12, 3));
    const LiteralFilter filter = build_literal_filter(literals, false, 64 << 20);
    ASSERT_TRUE(filter.present());
    std::size_t held = 0;
    for (int t = 0; t < 3000; ++t) {
      std::string text = random_string(rng() % 60, 4);
      // Plant a literal at the start, the end or inside a third of the time.
      if (t % 3 == 0) {
        const std::string& literal = literals[rng() % literals.size()];
        const std::size_t at = t % 9 == 0   ? 0
                               : t % 9 == 3 ? text.size()
                                            : rng() % (text.size() + 1);
        text.insert(at, literal);
      }
      const bool expected = holds_any(literals, text, false);
      held += expected;
      ASSERT_EQ(may_match(filter, text), expected) << text << " with " << count << " literals";
    }
    EXPECT_GT(held, 1000u);
  }
}

TEST(LiteralFilter, FoldedFilterPassesEveryCaseOfItsLiterals) {
  const std::vector<std::string> literals{"AKIAIOSFODNN", "ghp_Secret", "Token=42"};
  const LiteralFilter filter = build_literal_filter(literals, true, 1 << 20);
  ASSERT_TRUE(filter.present());
  for (const std::string text :
       {"key akiaiosfodnn7", "GHP_SECRET", "x token=42", "tOkEn=42 at the end", "AKIAIOSFODNN"})
    EXPECT_TRUE(may_match(filter, text)) << text;
  for (const std::string text : {"akia iosfodnn", "ghp-secret", "token=43", "", "Token"})
    EXPECT_FALSE(may_match(filter, text)) << text;
}

}  // namespace
}  // namespace agentsweep::engine
