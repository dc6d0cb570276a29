/** @file
 * Multi-literal matching with an Aho-Corasick automaton compiled to a dense
 * DFA over byte classes: one table lookup per input byte, time linear in the
 * line whatever the patterns. One automaton covers up to 64 patterns so that
 * a line's hits fit one 64-bit mask; larger sets use several automata.
 */
#pragma once

#include <cstdint>

#include "kernels/portability.cuh"

namespace agentsweep::kernels {

inline constexpr std::uint32_t kPatternsPerAutomaton = 64;

/// Set in a transition whose target state ends some pattern; the rest is the
/// target's row start (state index times stride), so a step needs no multiply.
inline constexpr std::uint32_t kMatchFlag = 0x80000000u;
inline constexpr std::uint32_t kRowMask = 0x7fffffffu;

/// A compiled automaton as kernels read it (see host/engine/literal_compiler).
struct LiteralAutomatonView {
  const std::uint8_t* byte_class = nullptr;  ///< 256 entries: byte -> column
  const std::uint32_t* next = nullptr;       ///< states x stride transitions
  const std::uint64_t* matches = nullptr;    ///< per state: patterns (bits) that end here
  std::uint32_t stride = 0;                  ///< columns per row (byte classes)
};

/// Bit i of the result is set when pattern i of the automaton occurs in the text.
AGENTSWEEP_HD inline std::uint64_t match_literals(const LiteralAutomatonView& automaton,
                                                  const char* text, std::uint32_t length) {
  std::uint32_t row = 0;
  std::uint64_t found = 0;
  for (std::uint32_t i = 0; i < length; ++i) {
    const std::uint32_t step =
        automaton.next[row + automaton.byte_class[static_cast<unsigned char>(text[i])]];
    row = step & kRowMask;
    if (step & kMatchFlag) found |= automaton.matches[row / automaton.stride];
  }
  return found;
}

}  // namespace agentsweep::kernels
