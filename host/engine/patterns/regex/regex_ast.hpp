/** @file
 * The parsed form of one regular expression: a tree over Unicode code point
 * sets and zero-width assertions. Case folding and flags are already applied
 * by the parser, so the compiler (patterns/nfa_builder) sees plain structure.
 */
#pragma once

#include <cstdint>
#include <vector>

namespace agentsweep::engine::regex {

/// Inclusive range of Unicode code points (0 .. 0x10FFFF).
struct CodepointRange {
  char32_t lo = 0;
  char32_t hi = 0;
  friend bool operator==(const CodepointRange&, const CodepointRange&) = default;
};

/// Sorted, non-overlapping, non-adjacent ranges.
using CodepointSet = std::vector<CodepointRange>;

/// Zero-width conditions. Word characters are ASCII [0-9A-Za-z_], as in RE2.
enum class Assertion : std::uint8_t {
  kBeginText,        ///< \A, or ^ without (?m)
  kEndText,          ///< \z, or $ without (?m)
  kBeginLine,        ///< ^ with (?m): start of text or after "\n"
  kEndLine,          ///< $ with (?m): end of text or before "\n"
  kWordBoundary,     ///< \b
  kNotWordBoundary,  ///< \B
  kNoWordBefore,     ///< grep -w: start of text or a non-word character before
  kNoWordAfter,      ///< grep -w: end of text or a non-word character after
};

struct RegexNode {
  enum class Kind : std::uint8_t {
    kEmpty,      ///< matches the empty string
    kChars,      ///< one code point from `chars` (empty set: matches nothing)
    kConcat,     ///< children in sequence
    kAlternate,  ///< any one child
    kRepeat,     ///< children[0] between min and max times (max < 0: unbounded)
    kAssert,     ///< `assertion` holds here
  };

  Kind kind = Kind::kEmpty;
  CodepointSet chars;
  Assertion assertion = Assertion::kBeginText;
  int min = 0;
  int max = -1;
  std::vector<RegexNode> children;
};

}  // namespace agentsweep::engine::regex
