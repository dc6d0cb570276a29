/** @file
 * The regex front end: every accepted syntax form as a tree, case folding
 * (Kelvin sign, long s, the sigma orbit), Unicode classes against the
 * generated tables, and the rejected forms with their positions. The
 * expected meanings were checked against RE2 (Debian's 20220601 build).
 */
#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "host/engine/patterns/regex/codepoint_set.hpp"
#include "host/engine/patterns/regex/regex_parser.hpp"
#include "host/engine/patterns/regex/unicode_tables.hpp"

namespace agentsweep::engine::regex {
namespace {

using Kind = RegexNode::Kind;

std::string code_point_text(char32_t c) {
  if (c > ' ' && c < 0x7F) return std::string(1, static_cast<char>(c));
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(c));
  return buffer;
}

std::string set_text(const CodepointSet& set) {
  std::string text = "[";
  for (const CodepointRange& range : set) {
    if (text.size() > 1) text += ' ';
    text += code_point_text(range.lo);
    if (range.hi == range.lo) continue;
    text += '-';
    text += code_point_text(range.hi);
  }
  return text + "]";
}

std::string assertion_text(Assertion assertion) {
  switch (assertion) {
    case Assertion::kBeginText:
      return "BOT";
    case Assertion::kEndText:
      return "EOT";
    case Assertion::kBeginLine:
      return "BOL";
    case Assertion::kEndLine:
      return "EOL";
    case Assertion::kWordBoundary:
      return "WB";
    case Assertion::kNotWordBoundary:
      return "NWB";
    default:
      return "?";
  }
}

/// A compact rendering, e.g. cat([a] rep{0,-1}([b])), so trees compare as text.
std::string tree_text(const RegexNode& node) {
  // Built by appending: "literal" + std::string&& trips gcc 12's -Wrestrict.
  std::string children;
  for (const RegexNode& child : node.children) {
    if (!children.empty()) children += ' ';
    children += tree_text(child);
  }
  switch (node.kind) {
    case Kind::kEmpty:
      return "()";
    case Kind::kChars:
      return set_text(node.chars);
    case Kind::kConcat:
      return std::string("cat(") + children + ")";
    case Kind::kAlternate:
      return std::string("alt(") + children + ")";
    case Kind::kRepeat:
      return std::string("rep{") + std::to_string(node.min) + "," + std::to_string(node.max) +
             "}(" + children + ")";
    case Kind::kAssert:
      return assertion_text(node.assertion);
  }
  return "?";
}

std::string tree(std::string_view pattern, const ParseOptions& options = {}) {
  return tree_text(parse_regex(pattern, options));
}

/// The set of a pattern that is a single character class.
CodepointSet chars(std::string_view pattern, const ParseOptions& options = {}) {
  const RegexNode node = parse_regex(pattern, options);
  EXPECT_EQ(node.kind, Kind::kChars) << pattern;
  return node.chars;
}

CodepointSet table(std::optional<std::span<const CodepointRange>> ranges) {
  EXPECT_TRUE(ranges.has_value());
  return ranges ? CodepointSet(ranges->begin(), ranges->end()) : CodepointSet{};
}

bool is_normalized(const CodepointSet& set) {
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (set[i].lo > set[i].hi || set[i].hi > kMaxCodepoint) return false;
    if (i > 0 && set[i].lo <= set[i - 1].hi + 1) return false;
  }
  return true;
}

bool all_sets_normalized(const RegexNode& node) {
  if (node.kind == Kind::kChars && !is_normalized(node.chars)) return false;
  for (const RegexNode& child : node.children)
    if (!all_sets_normalized(child)) return false;
  return true;
}

const CodepointSet kAll{{0, kMaxCodepoint}};
const CodepointSet kKelvinOrbit{{'K', 'K'}, {'k', 'k'}, {0x212A, 0x212A}};
const CodepointSet kLongSOrbit{{'S', 'S'}, {'s', 's'}, {0x17F, 0x17F}};
const CodepointSet kSigmaOrbit{{0x3A3, 0x3A3}, {0x3C2, 0x3C3}};
const ParseOptions kFold{.case_insensitive = true};

// ---- syntax forms -------------------------------------------------------------

TEST(RegexParserSyntax, LiteralsAreCodePoints) {
  EXPECT_EQ(tree("abc"), "cat([a] [b] [c])");
  EXPECT_EQ(tree("é😀"), "cat([U+00E9] [U+1F600])");
  EXPECT_EQ(tree("}]"), "cat([}] []])");
  EXPECT_EQ(tree(std::string_view("a\0b", 3)), "cat([a] [U+0000] [b])");
  EXPECT_EQ(tree("\xED\xA0\x80"), "[U+D800]");  // an encoded surrogate, accepted as by RE2
}

TEST(RegexParserSyntax, EmptyPatternsAndAlternatives) {
  EXPECT_EQ(tree(""), "()");
  EXPECT_EQ(tree("()"), "()");
  EXPECT_EQ(tree("a|"), "alt([a] ())");
  EXPECT_EQ(tree("|a"), "alt(() [a])");
  EXPECT_EQ(tree("a||b"), "alt([a] () [b])");
  EXPECT_EQ(tree("ab|c"), "alt(cat([a] [b]) [c])");
}

TEST(RegexParserSyntax, DotExcludesNewlineUnlessDotAll) {
  EXPECT_EQ(chars("."), (CodepointSet{{0, 9}, {11, kMaxCodepoint}}));
  EXPECT_EQ(chars("(?s)."), kAll);
  EXPECT_EQ(chars("(?s-s)."), chars("."));
  EXPECT_EQ(chars("(?s:.)"), kAll);
}

TEST(RegexParserSyntax, CharacterEscapes) {
  EXPECT_EQ(tree(R"(\a\f\n\r\t\v)"), "cat([U+0007] [U+000C] [U+000A] [U+000D] [U+0009] [U+000B])");
  EXPECT_EQ(tree(R"(\x41\x{1F600}\x{0000041}\x{10FFFF})"), "cat([A] [U+1F600] [A] [U+10FFFF])");
  EXPECT_EQ(tree(R"(\.\*\\\_\ \~)"), R"(cat([.] [*] [\] [_] [U+0020] [~]))");
}

TEST(RegexParserSyntax, OctalEscapesAsInRe2) {
  EXPECT_EQ(tree(R"(\0)"), "[U+0000]");
  EXPECT_EQ(tree(R"(\12)"), "[U+000A]");  // \1 followed by a digit is octal, not a backreference
  EXPECT_EQ(tree(R"(\123)"), "[S]");
  EXPECT_EQ(tree(R"(\777)"), "[U+01FF]");
  EXPECT_EQ(tree(R"(\0000)"), "cat([U+0000] [0])");  // at most three digits
  EXPECT_EQ(tree(R"(\08)"), "cat([U+0000] [8])");
}

TEST(RegexParserSyntax, QuotedText) {
  EXPECT_EQ(tree(R"(\Q.*[\E)"), "cat([.] [*] [[])");
  EXPECT_EQ(tree(R"(\Qab\E*)"),
            "cat([a] rep{0,-1}([b]))");  // the operator takes the last character
  EXPECT_EQ(tree(R"(\Qa\\E)"), R"(cat([a] [\]))");
  EXPECT_EQ(tree(R"(x\Q)"), "[x]");  // unterminated: runs to the end
  EXPECT_EQ(tree(R"(\Q|\E|b)"), "alt([|] [b])");
}

TEST(RegexParserSyntax, BracketClasses) {
  EXPECT_EQ(set_text(chars("[cab]")), "[a-c]");
  EXPECT_EQ(set_text(chars("[a-cx-z]")), "[a-c x-z]");
  EXPECT_EQ(set_text(chars("[a-cb-eb]")), "[a-e]");
  EXPECT_EQ(set_text(chars("[]a]")), "[] a]");
  EXPECT_EQ(set_text(chars("[a-]")), "[- a]");
  EXPECT_EQ(set_text(chars("[-a]")), "[- a]");
  EXPECT_EQ(set_text(chars("[---]")), "[-]");
  EXPECT_EQ(set_text(chars(R"([\d-z])")), "[- 0-9 z]");
  EXPECT_EQ(set_text(chars(R"([\]\-\\])")), R"([- \-]])");
  EXPECT_EQ(set_text(chars(R"([\n-\r])")), "[U+000A-U+000D]");
  EXPECT_EQ(set_text(chars("[[:alpha]")), "[: [ a h l p]");  // no ":]": "[" is a member
  EXPECT_EQ(chars(R"([\x00-\x{10FFFF}])"), kAll);
}

TEST(RegexParserSyntax, NegatedClassesIncludeNewline) {
  EXPECT_EQ(chars("[^a]"), (CodepointSet{{0, 'a' - 1}, {'a' + 1, kMaxCodepoint}}));
  EXPECT_EQ(set_text(chars("[^]a]")), set_text(complement({{']', ']'}, {'a', 'a'}})));
  EXPECT_EQ(chars(R"([^\x00-\x{10FFFF}])"), CodepointSet{});  // matches nothing
}

TEST(RegexParserSyntax, PerlClassesAreAscii) {
  EXPECT_EQ(set_text(chars(R"(\d)")), "[0-9]");
  EXPECT_EQ(set_text(chars(R"(\s)")), "[U+0009-U+000A U+000C-U+000D U+0020]");  // no \v
  EXPECT_EQ(set_text(chars(R"(\w)")), "[0-9 A-Z _ a-z]");
  EXPECT_EQ(chars(R"(\D)"), complement(chars(R"(\d)")));
  EXPECT_EQ(chars(R"(\S)"), complement(chars(R"(\s)")));
  EXPECT_EQ(chars(R"(\W)"), complement(chars(R"(\w)")));
  EXPECT_EQ(set_text(chars(R"([\d\s])")), "[U+0009-U+000A U+000C-U+000D U+0020 0-9]");
  EXPECT_EQ(chars(R"([^\D])"), chars(R"(\d)"));
  EXPECT_EQ(chars(R"([\s\S])"), kAll);
}

TEST(RegexParserSyntax, PosixClassesAreAscii) {
  EXPECT_EQ(set_text(chars("[[:alpha:]]")), "[A-Z a-z]");
  EXPECT_EQ(set_text(chars("[[:space:]]")), "[U+0009-U+000D U+0020]");  // with \v, unlike \s
  EXPECT_EQ(set_text(chars("[[:word:]]")), "[0-9 A-Z _ a-z]");
  EXPECT_EQ(set_text(chars("[[:punct:]]")), "[!-/ :-@ [-` {-~]");
  EXPECT_EQ(set_text(chars("[[:xdigit:]]")), "[0-9 A-F a-f]");
  EXPECT_EQ(set_text(chars("[[:cntrl:]]")), "[U+0000-U+001F U+007F]");
  EXPECT_EQ(chars("[[:^alpha:]]"), complement(chars("[[:alpha:]]")));
  EXPECT_EQ(set_text(chars("[[:digit:][:upper:]x]")), "[0-9 A-Z x]");
  EXPECT_EQ(set_text(chars("[^[:^digit:]]")), "[0-9]");
}

TEST(RegexParserSyntax, UnicodeClasses) {
  EXPECT_EQ(unicode_version(), "15.0.0");
  EXPECT_EQ(chars(R"(\p{Greek})"), table(find_script("Greek")));
  EXPECT_EQ(chars(R"(\p{Lu})"), table(find_general_category("Lu")));
  EXPECT_EQ(chars(R"(\pL)"), chars(R"(\p{L})"));
  EXPECT_EQ(chars(R"(\pN)"), table(find_general_category("N")));
  EXPECT_EQ(chars(R"(\PL)"), complement(chars(R"(\pL)")));
  EXPECT_EQ(chars(R"(\p{^Greek})"), complement(chars(R"(\p{Greek})")));
  EXPECT_EQ(chars(R"(\P{^Greek})"), chars(R"(\p{Greek})"));
  EXPECT_EQ(chars(R"(\p{Any})"), kAll);
  EXPECT_EQ(chars(R"([\p{Greek}\P{Any}])"), chars(R"(\p{Greek})"));
  EXPECT_EQ(chars(R"([^\P{Greek}])"), chars(R"(\p{Greek})"));
  // One-letter groups are the unions of their categories.
  EXPECT_EQ(chars(R"(\pL)"), chars(R"([\p{Lu}\p{Ll}\p{Lt}\p{Lm}\p{Lo}])"));
  EXPECT_EQ(chars(R"(\pZ)"), chars(R"([\p{Zs}\p{Zl}\p{Zp}])"));
  // Spot checks against the Unicode 15.0 data.
  EXPECT_EQ(chars(R"(\p{Greek})").front(), (CodepointRange{0x370, 0x373}));
  EXPECT_EQ(set_text(chars(R"(\p{Zl})")), "[U+2028]");
  EXPECT_EQ(chars(R"(\p{Nd})")[1], (CodepointRange{0x660, 0x669}));
  EXPECT_TRUE(contains(chars(R"(\p{Kawi})"), 0x11F00));  // new in Unicode 15.0
  EXPECT_TRUE(contains(chars(R"(\p{Han})"), 0x4E2D));
  EXPECT_FALSE(contains(chars(R"(\p{Latin})"), '1'));
  EXPECT_TRUE(contains(chars(R"(\p{Common})"), '1'));
}

TEST(RegexParserSyntax, GroupsOnlyGroup) {
  for (const char* pattern : {"(ab)", "(?:ab)", "(?P<name>ab)", "(?<name>ab)", "(?P<é_1>ab)"})
    EXPECT_EQ(tree(pattern), "cat([a] [b])") << pattern;
  EXPECT_EQ(tree("(?P<n>a)(?P<n>b)"), "cat([a] [b])");  // duplicate names: nothing refers to them
  EXPECT_EQ(tree("(ab|cd)*e"), "cat(rep{0,-1}(alt(cat([a] [b]) cat([c] [d]))) [e])");
  EXPECT_EQ(tree("a(|b)"), "cat([a] alt(() [b]))");
  EXPECT_EQ(tree("((((a))))"), "[a]");
}

TEST(RegexParserSyntax, FlagsApplyUntilTheEndOfTheirGroup) {
  EXPECT_EQ(tree("a(?i)b"), "cat([a] [B b])");
  EXPECT_EQ(tree("(a(?i)b)c"), "cat(cat([a] [B b]) [c])");
  EXPECT_EQ(tree("(?i)a|b"), "alt([A a] [B b])");
  EXPECT_EQ(tree("(?i:a)b"), "cat([A a] [b])");
  EXPECT_EQ(tree("(?i)a(?-i)b"), "cat([A a] [b])");
  EXPECT_EQ(tree("(?i:a(?-i:b)c)"), "cat([A a] [b] [C c])");
  EXPECT_EQ(tree("(?is-m:^.)$"), "cat(cat(BOT [U+0000-U+10FFFF]) EOT)");
  EXPECT_EQ(tree("(?U)a*b??"), "cat(rep{0,-1}([a]) rep{0,1}([b]))");
  EXPECT_EQ(tree("(?)a"), "[a]");
  EXPECT_EQ(tree("(?i)(?-i)a"), "[a]");
}

TEST(RegexParserSyntax, Anchors) {
  EXPECT_EQ(tree("^a$"), "cat(BOT [a] EOT)");
  EXPECT_EQ(tree("(?m)^a$"), "cat(BOL [a] EOL)");
  EXPECT_EQ(tree("(?m:^)$"), "cat(BOL EOT)");
  EXPECT_EQ(tree(R"((?m)\Aa\z)"), "cat(BOT [a] EOT)");
  EXPECT_EQ(tree(R"(\ba\B)"), "cat(WB [a] NWB)");
}

TEST(RegexParserSyntax, Repetition) {
  EXPECT_EQ(tree("a*"), "rep{0,-1}([a])");
  EXPECT_EQ(tree("a+"), "rep{1,-1}([a])");
  EXPECT_EQ(tree("a?"), "rep{0,1}([a])");
  EXPECT_EQ(tree("a{2}"), "rep{2,2}([a])");
  EXPECT_EQ(tree("a{2,}"), "rep{2,-1}([a])");
  EXPECT_EQ(tree("a{2,4}"), "rep{2,4}([a])");
  EXPECT_EQ(tree("a{0}"), "rep{0,0}([a])");
  EXPECT_EQ(tree("a{1000}"), "rep{1000,1000}([a])");
  EXPECT_EQ(tree("ab*"), "cat([a] rep{0,-1}([b]))");
  EXPECT_EQ(tree("(?:a{10}){100}"), "rep{100,100}(rep{10,10}([a]))");
  EXPECT_EQ(tree("(a{1000})*"), "rep{0,-1}(rep{1000,1000}([a]))");
}

TEST(RegexParserSyntax, LazyRepetitionMatchesTheSameLines) {
  EXPECT_EQ(tree("a*?"), tree("a*"));
  EXPECT_EQ(tree("a+?"), tree("a+"));
  EXPECT_EQ(tree("a??"), tree("a?"));
  EXPECT_EQ(tree("a{2,4}?"), tree("a{2,4}"));
}

TEST(RegexParserSyntax, BracesThatAreNotCountsAreLiterals) {
  EXPECT_EQ(tree("{"), "[{]");
  EXPECT_EQ(tree("a{"), "cat([a] [{])");
  EXPECT_EQ(tree("a{,5}"), "cat([a] [{] [,] [5] [}])");
  EXPECT_EQ(tree("a{01}"), "cat([a] [{] [0] [1] [}])");  // no leading zeros
  EXPECT_EQ(tree("a{2 }"), "cat([a] [{] [2] [U+0020] [}])");
  EXPECT_EQ(tree("a{1000000000}"), tree(R"(a\{1000000000\})"));  // too many digits
  EXPECT_EQ(tree("a{2,3}{"), "cat(rep{2,3}([a]) [{])");
}

TEST(RegexParserSyntax, RepetitionOfWhatRe2Allows) {
  EXPECT_EQ(tree("^*"), "rep{0,-1}(BOT)");
  EXPECT_EQ(tree(R"(\b+)"), "rep{1,-1}(WB)");
  EXPECT_EQ(tree("()*"), "rep{0,-1}(())");
  EXPECT_EQ(tree("a(?i)*"), "rep{0,-1}([a])");  // the flag group is not an operand
  EXPECT_EQ(tree("(a*)*"), "rep{0,-1}(rep{0,-1}([a]))");
}

// ---- case folding ---------------------------------------------------------------

TEST(RegexParserFolding, KelvinSign) {
  EXPECT_EQ(chars("(?i)k"), kKelvinOrbit);
  EXPECT_EQ(chars("(?i)K"), kKelvinOrbit);
  EXPECT_EQ(chars(R"((?i)\x{212A})"), kKelvinOrbit);
  EXPECT_EQ(chars("k"), (CodepointSet{{'k', 'k'}}));
}

TEST(RegexParserFolding, LongS) {
  EXPECT_EQ(chars("(?i)s"), kLongSOrbit);
  EXPECT_EQ(chars("(?i)ſ"), kLongSOrbit);
}

TEST(RegexParserFolding, SigmaOrbit) {
  EXPECT_EQ(chars("(?i)σ"), kSigmaOrbit);
  EXPECT_EQ(chars("(?i)ς"), kSigmaOrbit);
  EXPECT_EQ(chars("(?i)Σ"), kSigmaOrbit);
}

TEST(RegexParserFolding, OnlySimpleFolding) {
  EXPECT_EQ(set_text(chars("(?i)ß")), "[U+00DF U+1E9E]");  // not "ss": that is full folding
  EXPECT_EQ(set_text(chars("(?i)i")), "[I i]");            // Turkic İ and ı are separate
  EXPECT_EQ(set_text(chars("(?i)İ")), "[U+0130]");
  EXPECT_EQ(set_text(chars("(?i)ǅ")), "[U+01C4-U+01C6]");
  EXPECT_EQ(set_text(chars("(?i)1")), "[1]");
}

TEST(RegexParserFolding, ClassesAreFolded) {
  EXPECT_EQ(set_text(chars("(?i)[a-z]")), "[A-Z a-z U+017F U+212A]");
  EXPECT_EQ(set_text(chars("(?i)[[:upper:]]")), "[A-Z a-z U+017F U+212A]");
  EXPECT_EQ(set_text(chars("(?i)[k]")), set_text(kKelvinOrbit));
  EXPECT_EQ(set_text(chars(R"((?i)\w)")), "[0-9 A-Z _ a-z U+017F U+212A]");
  EXPECT_TRUE(contains(chars(R"((?i)\p{Lu})"), 'a'));
  EXPECT_TRUE(contains(chars(R"((?i)\p{Greek})"), 0xB5));  // MICRO SIGN folds to mu
  EXPECT_FALSE(contains(chars(R"(\p{Greek})"), 0xB5));
}

TEST(RegexParserFolding, NegationComesAfterFolding) {
  // [^k] under (?i) excludes the whole orbit, so it cannot match KELVIN SIGN either.
  EXPECT_EQ(chars("(?i)[^k]"), complement(kKelvinOrbit));
  EXPECT_EQ(chars(R"((?i)[^\x{212A}])"), complement(kKelvinOrbit));
  EXPECT_EQ(set_text(chars(R"((?i)\W)")), set_text(complement(chars(R"((?i)\w)"))));
  EXPECT_FALSE(contains(chars(R"((?i)\W)"), 0x212A));
  EXPECT_EQ(chars(R"((?i)\P{Lu})"), complement(chars(R"((?i)\p{Lu})")));
  EXPECT_EQ(chars(R"((?i)\p{^Lu})"), chars(R"((?i)\P{Lu})"));
  EXPECT_EQ(chars("(?i)[[:^upper:]]"), complement(chars("(?i)[[:upper:]]")));
  EXPECT_EQ(chars(R"((?i)\D)"), chars(R"(\D)"));  // digits have no case
}

TEST(RegexParserFolding, CaseInsensitiveOptionActsAsLeadingFlag) {
  EXPECT_EQ(chars("k", kFold), kKelvinOrbit);
  EXPECT_EQ(tree("a(?-i)b", kFold), "cat([A a] [b])");
  EXPECT_EQ(tree("(?i)a|b"), tree("a|b", kFold));
}

// ---- literal option ----------------------------------------------------------------

TEST(RegexParserLiteral, WholePatternIsFixedText) {
  const ParseOptions literal{.literal = true};
  EXPECT_EQ(tree(R"(a.\d*()", literal), R"(cat([a] [.] [\] [d] [*] [(]))");
  EXPECT_EQ(tree("", literal), "()");
  EXPECT_EQ(tree("k.", {.case_insensitive = true, .literal = true}), "cat([K k U+212A] [.])");
  EXPECT_EQ(tree("(?i)x", literal), "cat([(] [?] [i] [)] [x])");
}

TEST(RegexParserLiteral, RejectsInvalidUtf8) {
  try {
    parse_regex("ab\xFF", {.literal = true});
    FAIL() << "accepted invalid UTF-8";
  } catch (const RegexError& e) {
    EXPECT_EQ(e.position(), 2u);
  }
}

// ---- output shape -----------------------------------------------------------------------

TEST(RegexParserOutput, EverySetIsSortedAndMerged) {
  for (const char* pattern :
       {"(?i)[a-zA-Z0-9k-s]+", R"((?i)[\p{Greek}\p{Latin}\d]|\PL)", R"([\s\S\w\W])",
        R"((?i)[^\x{100}-\x{200}]*\x{1E9E})", R"([[:^alpha:][:digit:]z-\x{10FFFF}])", "(?s).x"}) {
    EXPECT_TRUE(all_sets_normalized(parse_regex(pattern))) << pattern;
  }
}

TEST(RegexParserOutput, TreesStayLinearInThePatternSize) {
  const std::string long_pattern(5000, 'a');
  const RegexNode node = parse_regex(long_pattern);
  EXPECT_EQ(node.kind, Kind::kConcat);
  EXPECT_EQ(node.children.size(), 5000u);
}

// ---- rejected forms ---------------------------------------------------------------------

struct Rejected {
  std::string pattern;
  std::size_t position;
  std::string message;  ///< a part of what() that must appear
};

void expect_rejected(const std::vector<Rejected>& cases) {
  for (const Rejected& expected : cases) {
    SCOPED_TRACE(expected.pattern);
    try {
      const RegexNode node = parse_regex(expected.pattern);
      ADD_FAILURE() << "accepted: " << tree_text(node);
    } catch (const RegexError& e) {
      EXPECT_EQ(e.position(), expected.position) << e.what();
      EXPECT_NE(std::string(e.what()).find(expected.message), std::string::npos) << e.what();
    }
  }
}

TEST(RegexParserRejects, ConstructsThatNeedBacktrackingOrBytes) {
  expect_rejected({
      {R"((a)\1)", 3, "backreferences"},
      {R"(\8)", 0, "backreferences"},
      {R"(x\k<n>)", 1, "backreferences"},
      {"(?P=n)", 0, "backreferences"},
      {"a(?=b)", 1, "lookahead"},
      {"(?!b)", 0, "lookahead"},
      {"(?<=a)b", 0, "lookbehind"},
      {"(?<!a)b", 0, "lookbehind"},
      {"a*+", 1, "possessive"},
      {"a{2}+", 1, "possessive"},
      {"(?>a)", 0, "atomic"},
      {"(?R)", 0, "recursion"},
      {"(?1)", 0, "recursion"},
      {R"(\C)", 0, "write . instead"},
  });
}

TEST(RegexParserRejects, EscapesAndGroupsOutsideRe2Syntax) {
  expect_rejected({
      {R"(ab\Z)", 2, R"(write \z or $)"},
      {R"(a\K)", 1, R"(\K)"},
      {R"(\G)", 0, R"(\A or ^)"},
      {"(?#note)", 0, "comments"},
      {"(?x)a", 2, "free spacing"},
      {"(?iq)", 3, "the flags are i, m, s and U"},
      {R"(\y)", 0, "unknown escape"},
      {R"(\é)", 0, "only ASCII punctuation"},
      {R"(\e)", 0, R"(\x1B)"},
      {R"(\u00e9)", 0, R"(\x{hhhh})"},
      {R"(a\E)", 1, R"(\Q...\E)"},
      {R"([\b])", 1, R"(\x08)"},
  });
}

TEST(RegexParserRejects, MalformedRepetition) {
  expect_rejected({
      {"**", 0, "missing argument to repetition operator *"},
      {"x|+", 2, "missing argument"},
      {"(?i)*", 4, "missing argument"},
      {"{2}", 0, "missing argument to repetition operator {2}"},
      {"a**", 1, "cannot follow each other as in **"},
      {"a{2}{3}", 1, "cannot follow"},
      {"a{1001}", 1, "above 1000"},
      {"a{2,1}", 1, "maximum is smaller"},
      {"(?:a{2}){501}", 8, "multiply to more than 1000"},
      {"(a{2}|b{600}){2}", 13, "multiply"},
  });
}

TEST(RegexParserRejects, MalformedGroupsAndClasses) {
  expect_rejected({
      {"x(ab", 1, "missing )"},
      {"a(?i:b", 1, "missing )"},
      {"ab)", 2, "unexpected )"},
      {"(?i", 0, "missing )"},
      {"(?i-)", 3, "flags to turn off"},
      {"(?i--m)", 4, "only one -"},
      {"(?P<a-b>x)", 5, "group names"},
      {"(?P<>x)", 0, "empty group name"},
      {"(?P<ab", 0, "missing >"},
      {"x[ab", 1, "missing ]"},
      {"[]", 0, "missing ]"},
      {"a[z-a]", 2, "invalid range z-a"},
      {R"([a-\d])", 3, "cannot end a range"},
      {"[[:foo:]]", 1, "unknown POSIX class [:foo:]"},
      {std::string(1001, '(') + std::string(1001, ')'), 1000, "nest"},
  });
}

TEST(RegexParserRejects, MalformedEscapes) {
  expect_rejected({
      {R"(a\p{Foo})", 1, "unknown Unicode class"},
      {R"(\p{greek})", 0, "case-sensitive"},
      {R"(\p{Cn})", 0, "unknown"},
      {R"(\p{Greek)", 0, "missing }"},
      {R"(\xZZ)", 0, "two hex digits"},
      {R"(\x{110000})", 0, "too large"},
      {R"(\x{})", 0, "invalid"},
      {"ab\\", 2, "lone"},
  });
}

TEST(RegexParserRejects, InvalidUtf8) {
  expect_rejected({
      {"ab\xFF", 2, "UTF-8"},
      {"\xC0\x80", 0, "UTF-8"},          // overlong
      {"a\xE2\x82", 1, "UTF-8"},         // truncated
      {"\xF4\x90\x80\x80", 0, "UTF-8"},  // above U+10FFFF
  });
}

}  // namespace
}  // namespace agentsweep::engine::regex
