/** @file
 * Thompson NFA over bytes: the step between a parsed regex and its DFA.
 * Several patterns share one NFA, each with its own start and match states.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "host/engine/patterns/regex/regex_ast.hpp"

namespace agentsweep::engine {

struct NfaState {
  enum class Kind : std::uint8_t {
    kByteRange,  ///< consume a byte in [lo, hi], go to `out`
    kSplit,      ///< go to `out` and `out1` without consuming
    kAssert,     ///< go to `out` if `assertion` holds here
    kMatch,      ///< pattern `pattern` matches here
    kFail,       ///< nothing (an empty code point set)
  };
  Kind kind = Kind::kFail;
  std::uint8_t lo = 0;
  std::uint8_t hi = 0;
  regex::Assertion assertion = regex::Assertion::kBeginText;
  std::uint32_t out = 0;
  std::uint32_t out1 = 0;
  std::uint32_t pattern = 0;  ///< index within the NFA's patterns
};

struct Nfa {
  std::vector<NfaState> states;
  std::vector<std::uint32_t> starts;  ///< per pattern
  bool uses_word_assertions = false;  ///< \b \B or -w: byte classes must tell word bytes apart
  bool uses_line_assertions = false;  ///< (?m)^ $: byte classes must tell "\n" apart
};

/// Raised when an NFA would exceed its state budget (counted repetitions of
/// large subexpressions); the caller reports it against the pattern.
struct NfaTooLarge {};

/**
 * Adds `pattern` to `nfa` as pattern number nfa.starts.size(). Throws
 * NfaTooLarge when the NFA would pass `max_states` states.
 */
void add_to_nfa(Nfa& nfa, const regex::RegexNode& pattern, std::size_t max_states);

}  // namespace agentsweep::engine
