/** @file
 * The regex engine against RE2 (Debian libre2-dev) on random patterns and
 * random texts: for every pattern of a randomly grouped set, "does it occur
 * in the text" must agree. Covers classes, alternation, counted repetition,
 * anchors, \b, (?i) with Unicode folding, (?s), (?m), multi-byte UTF-8 and
 * invalid bytes, and -w against an equivalent RE2 pattern. The literal
 * prefilter is held to the same texts: a line RE2 matches always contains one
 * of the pattern's required factors, and is a candidate of its automaton.
 */
#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "host/engine/patterns/pattern_set.hpp"
#include "host/engine/patterns/prefilter_builder.hpp"
#include "host/engine/patterns/regex/regex_parser.hpp"
#include "host/engine/patterns/required_factors.hpp"

namespace agentsweep::engine {
namespace {

class RandomRegex {
 public:
  explicit RandomRegex(std::uint64_t seed) : rng_(seed) {}

  std::string pattern() {
    std::string flags;
    if (pick(5) == 0) flags += "(?i)";
    if (pick(8) == 0) flags += "(?s)";
    if (pick(8) == 0) flags += "(?m)";
    flags += alternation(2);
    return flags;
  }

  /// Random text; the last two pieces are invalid UTF-8.
  std::string text(bool valid_utf8 = false) {
    static const std::vector<std::string> pieces{"a",
                                                 "b",
                                                 "c",
                                                 "x",
                                                 "A",
                                                 "B",
                                                 "C",
                                                 "k",
                                                 "K",
                                                 "1",
                                                 "7",
                                                 "_",
                                                 " ",
                                                 "-",
                                                 "\n",
                                                 ".",
                                                 "\xc3\xa9" /* é */,
                                                 "\xc3\x89" /* É */,
                                                 "\xe2\x84\xaa" /* KELVIN SIGN */,
                                                 "\xc5\xbf" /* LONG S */,
                                                 "s",
                                                 "\xce\xa3" /* Σ */,
                                                 "\xcf\x82" /* ς */,
                                                 "\xff",
                                                 "\xc3"};
    std::string t;
    const int length = pick(14);
    const int choices = static_cast<int>(pieces.size()) - (valid_utf8 ? 2 : 0);
    for (int i = 0; i < length; ++i) t += pieces[pick(choices)];
    return t;
  }

  int pick(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }

 private:
  std::string alternation(int depth) {
    std::string out = concatenation(depth);
    while (pick(4) == 0) {
      out += '|';
      out += concatenation(depth);
    }
    return out;
  }

  std::string concatenation(int depth) {
    std::string out;
    const int length = 1 + pick(3);
    for (int i = 0; i < length; ++i) out += repeated(depth);
    return out;
  }

  std::string repeated(int depth) {
    std::string atom_text = atom(depth);
    // Counted repetitions of groups of broad classes are where DFAs blow up;
    // they get their own, smaller share.
    const bool group = atom_text.size() > 2 && atom_text.rfind("(?:", 0) == 0;
    switch (pick(group ? 20 : 10)) {
      case 0:
        return atom_text + "*";
      case 1:
        return atom_text + "+";
      case 2:
        return atom_text + "?";
      case 3:
        return atom_text + "{" + std::to_string(pick(3)) + "," + std::to_string(2 + pick(3)) + "}";
      case 4:
        return atom_text + "{" + std::to_string(1 + pick(3)) + "}";
      case 5:
        return atom_text + "{" + std::to_string(pick(2)) + ",}";
      default:
        return atom_text;
    }
  }

  std::string atom(int depth) {
    static const std::vector<std::string> atoms{
        "a",        "b",        "c",     "k",    "s",          "x",           "1",        "\\.",
        "-",        ".",        "[abc]", "[^a]", "[a-c]",      "[^\\n]",      "\\d",      "\\w",
        "\\W",      "\\s",      "\\b",   "\\B",  "^",          "$",           "\\A",      "\\z",
        "\xc3\xa9", "\\x{3A3}", "[k-s]", "\\pL", "\\p{Greek}", "[[:upper:]]", "\\x{212A}"};
    if (depth > 0 && pick(5) == 0) {
      std::string group = "(?:";
      group += alternation(depth - 1);
      group += ')';
      return group;
    }
    return atoms[pick(static_cast<int>(atoms.size()))];
  }

  std::mt19937_64 rng_;
};

TEST(RegexDifferential, RandomPatternSetsAgreeWithRe2) {
  RandomRegex random(20261125);
  int compared = 0;
  int matched = 0;
  int refused_empty = 0;
  int refused_large = 0;
  for (int round = 0; round < 250; ++round) {
    std::vector<std::unique_ptr<RE2>> references;
    std::vector<PatternSpec> specs;
    const int count = 1 + random.pick(5);
    while (static_cast<int>(specs.size()) < count) {
      const std::string pattern = random.pattern();
      auto reference = std::make_unique<RE2>(pattern, RE2::Quiet);
      ASSERT_TRUE(reference->ok()) << pattern << ": " << reference->error();
      if (RE2::PartialMatch("", *reference)) continue;  // rejected by design: matches every line
      specs.push_back({pattern, false});
      references.push_back(std::move(reference));
    }
    CompileLimits limits;
    // Half the rounds with a tiny state budget, so lines often take the NFA
    // fallback; the others with a budget that random nesting can exceed.
    limits.max_states = round % 2 ? 20000 : 24;
    PatternSet set;
    try {
      set = compile_patterns(specs, limits);
    } catch (const PatternError& e) {
      // Refusals by design: random nesting of counted repetitions can pass the
      // state budget, and a pattern that can match zero characters (e.g.
      // "a?\\b", which RE2 does not find in "") is refused. They must stay rare.
      const std::string why = e.what();
      const bool empty = why.find("empty string") != std::string::npos;
      ASSERT_TRUE(empty || why.find("too large") != std::string::npos ||
                  why.find("DFA states") != std::string::npos)
          << specs[e.pattern()].text << ": " << why;
      ++(empty ? refused_empty : refused_large);
      continue;
    }
    for (int t = 0; t < 60; ++t) {
      const std::string text = random.text();
      const std::vector<std::uint32_t> found = match_line(set, text);
      for (std::uint32_t p = 0; p < specs.size(); ++p) {
        const bool expected = RE2::PartialMatch(text, *references[p]);
        const bool actual = std::binary_search(found.begin(), found.end(), p);
        ASSERT_EQ(actual, expected) << "pattern /" << specs[p].text << "/ on text \"" << text
                                    << "\" (set of " << specs.size() << ")";
        ++compared;
        matched += expected;
      }
    }
  }
  EXPECT_LT(refused_large, 10);
  EXPECT_LT(refused_empty, 60);
  EXPECT_GT(compared, 30000);
  EXPECT_GT(matched, compared / 10);  // the comparisons are not all "no match"
}

TEST(RegexDifferential, CaseInsensitiveAndWordOptionsAgreeWithRe2) {
  RandomRegex random(7);
  for (int round = 0; round < 400; ++round) {
    std::string pattern = random.pattern();
    const bool literal = random.pick(2) == 0;
    if (literal) {
      pattern = std::to_string(random.pick(10));
      pattern += random.pick(2) ? "ks_" : "k-A";
    }
    const bool case_insensitive = random.pick(2) == 0;
    const bool word = random.pick(2) == 0;
    std::string body = literal ? RE2::QuoteMeta(pattern) : pattern;
    if (case_insensitive) body = std::string("(?i:").append(body).append(")");
    // -w as RE2 can say it: a non-word code point (or an end) on each side.
    if (word)
      body = std::string("(?:\\A|[^0-9A-Za-z_])(?:").append(body).append(")(?:\\z|[^0-9A-Za-z_])");
    const RE2 reference(body, RE2::Quiet);
    ASSERT_TRUE(reference.ok()) << body;
    if (RE2::PartialMatch("", RE2(literal ? RE2::QuoteMeta(pattern) : pattern))) continue;
    PatternSet set;
    try {
      CompileLimits limits;
      limits.max_states = 20000;
      set = compile_patterns({{pattern, literal, case_insensitive, word}}, limits);
    } catch (const PatternError& e) {
      const std::string why = e.what();
      ASSERT_TRUE(why.find("empty string") != std::string::npos ||
                  why.find("DFA states") != std::string::npos)
          << pattern << ": " << why;
      continue;
    }
    for (int t = 0; t < 60; ++t) {
      // RE2's [^...] never matches an invalid byte, so -w is compared on valid UTF-8.
      const std::string text = random.text(word);
      const bool expected = RE2::PartialMatch(text, reference);
      ASSERT_EQ(!match_line(set, text).empty(), expected)
          << "pattern /" << pattern << "/ literal " << literal << " -i " << case_insensitive
          << " -w " << word << " on \"" << text << "\"";
    }
  }
}

TEST(RegexDifferential, EveryMatchContainsARequiredFactor) {
  RandomRegex random(4);
  int with_factors = 0;
  int matches_checked = 0;
  for (int round = 0; round < 3000; ++round) {
    const std::string pattern = random.pattern();
    const RE2 reference(pattern, RE2::Quiet);
    ASSERT_TRUE(reference.ok()) << pattern;
    // Factors of one byte and up, so that short random patterns have some.
    FactorLimits limits;
    limits.min_length = 1 + static_cast<std::size_t>(random.pick(2));
    const auto factors = required_factors(regex::parse_regex(pattern), limits);
    if (!factors) continue;
    ++with_factors;
    for (int t = 0; t < 60; ++t) {
      const std::string text = random.text();
      if (!RE2::PartialMatch(text, reference)) continue;
      ++matches_checked;
      const std::string folded = fold_ascii(text);
      const bool contains = std::any_of(factors->begin(), factors->end(), [&](const auto& f) {
        return folded.find(f) != std::string::npos;
      });
      ASSERT_TRUE(contains) << "pattern /" << pattern << "/ matches \"" << text
                            << "\" but contains none of its " << factors->size() << " factors";
    }
  }
  EXPECT_GT(with_factors, 1000);
  EXPECT_GT(matches_checked, 5000);
}

/// Compiled sets with the default factor length: whenever match_line (which
/// runs every automaton) finds a pattern, the prefilter marks the line as a
/// candidate of that pattern's automaton. Random patterns around a middle
/// with factors, and random texts around those factors in varied case.
TEST(RegexDifferential, PrefilterMarksEveryMatchingLine) {
  static const std::vector<std::string> middles{"abc", "(?i:kab)", "(?:1\\.x|c-a)", "(?i)s_1"};
  static const std::vector<std::string> tokens{"abc",
                                               "ABC",
                                               "kab",
                                               "KAB",
                                               "\xe2\x84\xaa"
                                               "ab",
                                               "1.x",
                                               "c-a",
                                               "s_1",
                                               "\xc5\xbf"
                                               "_1"};
  RandomRegex random(11);
  int prefiltered_matches = 0;
  for (int round = 0; round < 150; ++round) {
    std::vector<PatternSpec> specs;
    for (int p = 0; p < 4; ++p)
      specs.push_back({"(?:" + random.pattern() + ")" + middles[random.pick(4)] +
                           "(?:" + random.pattern() + ")",
                       false, random.pick(3) == 0, random.pick(4) == 0});
    PatternSet set;
    try {
      set = compile_patterns(specs);
    } catch (const PatternError&) {
      continue;  // refusals are covered above
    }
    for (int t = 0; t < 100; ++t) {
      const std::string text =
          random.text() + tokens[random.pick(static_cast<int>(tokens.size()))] + random.text();
      const std::vector<std::uint32_t> found = match_line(set, text);
      for (const Prefilter& prefilter : set.prefilters) {
        const std::vector<std::uint32_t> candidates = candidate_automata(prefilter, text);
        for (const std::uint32_t a : prefilter.slot_automata)
          for (const std::uint32_t p : set.automata[a].pattern_ids) {
            if (!std::binary_search(found.begin(), found.end(), p)) continue;
            ++prefiltered_matches;
            ASSERT_TRUE(std::binary_search(candidates.begin(), candidates.end(), a))
                << "pattern /" << specs[p].text << "/ -i " << specs[p].case_insensitive << " -w "
                << specs[p].word << " matches \"" << text << "\" but the prefilter ruled it out";
          }
      }
    }
  }
  EXPECT_GT(prefiltered_matches, 500);
}

}  // namespace
}  // namespace agentsweep::engine
