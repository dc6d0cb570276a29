/** @file
 * Epsilon closure of NFA states at one position of the text, with the
 * zero-width assertions decided by what is known there: the previous byte
 * (start of text, word byte, "\n") and the next (word byte, "\n", end of
 * text). Shared by the DFA builder and the NFA simulation, so both give the
 * same answers by construction.
 */
#pragma once

#include <cstdint>
#include <vector>

#include "host/engine/patterns/nfa.hpp"

namespace agentsweep::engine {

/// ASCII word bytes, as RE2's \b: [0-9A-Za-z_].
inline bool is_word_byte(int b) {
  return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '_';
}

struct AssertionContext {
  bool at_begin = false;
  bool prev_word = false;
  bool prev_newline = false;
  bool next_word = false;
  bool next_newline = false;
  bool at_end = false;

  bool holds(regex::Assertion a) const;
};

/// Closure computations over one NFA, reusing their scratch memory.
class NfaClosure {
 public:
  explicit NfaClosure(const Nfa& nfa) : nfa_(nfa), mark_(nfa.states.size(), 0) {}

  /// The byte-consuming and match states reachable from `from` and from
  /// every start (search may begin anywhere), in no particular order.
  std::vector<std::uint32_t> operator()(const std::vector<std::uint32_t>& from,
                                        const AssertionContext& context);

 private:
  const Nfa& nfa_;
  std::vector<std::uint32_t> mark_;
  std::uint32_t generation_ = 0;
};

}  // namespace agentsweep::engine
