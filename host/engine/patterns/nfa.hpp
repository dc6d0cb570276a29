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
  std::vector<std::uint32_t> starts;  ///< where matching may begin, at every position
  std::uint32_t patterns = 0;         ///< kMatch states carry 0 .. patterns - 1
  bool uses_word_assertions = false;  ///< \b \B or -w: byte classes must tell word bytes apart
  bool uses_line_assertions = false;  ///< (?m)^ $: byte classes must tell "\n" apart
};

/// Raised when an NFA would exceed its state budget (counted repetitions of
/// large subexpressions); the caller reports it against the pattern.
struct NfaTooLarge {};

/**
 * Adds `pattern` to `nfa` as pattern number nfa.patterns. Throws
 * NfaTooLarge when the NFA would pass `max_states` states.
 */
void add_to_nfa(Nfa& nfa, const regex::RegexNode& pattern, std::size_t max_states);

/// True for a plain sequence of characters, optionally between -w's
/// conditions: the shape of fixed strings and IOC-style regexes.
bool is_character_sequence(const regex::RegexNode& pattern);

/**
 * Adds character sequences (see is_character_sequence) as patterns
 * nfa.patterns, nfa.patterns + 1, ... sharing common prefixes in a trie, so
 * that a DFA state holds a few trie positions rather than one position per
 * pattern: thousands of IOCs determinise like Aho-Corasick.
 */
void add_sequences_as_trie(Nfa& nfa, const std::vector<const regex::RegexNode*>& patterns,
                           std::size_t max_states);

}  // namespace agentsweep::engine
