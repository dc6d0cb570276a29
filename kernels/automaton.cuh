/** @file
 * The one matching loop of the pattern engine. Every pattern set, literal or
 * regex, compiles (host/engine/patterns) to DFAs of the same form: a dense
 * table over byte classes with premultiplied rows, so a step is one lookup,
 * `next[row + byte_class[byte]]`, and time is linear in the input whatever
 * the patterns. Zero-width conditions (^ $ \b, -w) are folded into the states
 * by the compiler; the only extra step is one end-of-text column after the
 * last byte, through which matches that need "end of text" are reported.
 */
#pragma once

#include <cstdint>

#include "kernels/literal_filter.cuh"
#include "kernels/portability.cuh"

namespace agentsweep::kernels {

/// At most this many patterns per automaton in mask mode: a line's hits fit one word.
inline constexpr std::uint32_t kMaskPatterns = 64;

/// Set in a transition on which some pattern matches; the rest is the target's
/// row start (state index times stride), so a step needs no multiply.
inline constexpr std::uint32_t kMatchFlag = 0x80000000u;
inline constexpr std::uint32_t kRowMask = 0x7fffffffu;
/// fallback_row of automata whose every state was built.
inline constexpr std::uint32_t kNoFallback = kRowMask;

/// A compiled automaton as kernels read it. The matches reported by a flagged
/// transition are those of its target state: bits of `masks` (mask mode) or
/// the ids outputs[output_begin[s] .. output_begin[s + 1]) (list mode).
struct AutomatonView {
  const std::uint8_t* byte_class = nullptr;     ///< 256 entries: byte -> column
  const std::uint32_t* next = nullptr;          ///< states x stride transitions
  const std::uint64_t* masks = nullptr;         ///< mask mode, per state
  const std::uint32_t* output_begin = nullptr;  ///< list mode, states + 1 entries
  const std::uint32_t* outputs = nullptr;       ///< list mode, global pattern ids
  std::uint32_t stride = 0;
  std::uint32_t start_row = 0;
  std::uint32_t end_column = 0;  ///< column of the end-of-text step
  /// A regex DFA is built up to a state budget; transitions to states it did
  /// not build lead here, and the line is then matched exactly on the host
  /// (host/engine/patterns/nfa_simulation.hpp).
  std::uint32_t fallback_row = kNoFallback;
  /// Aho-Corasick over literals: rules out lines that hold none (absent: every line walks).
  LiteralFilterView filter;

  AGENTSWEEP_HD bool list_mode() const { return output_begin != nullptr; }
  AGENTSWEEP_HD std::uint32_t state_of(std::uint32_t row) const { return row / stride; }
};

/// Bytes of a span as they are.
struct RawBytes {
  const char* at;
  const char* end;
  AGENTSWEEP_HD bool next(unsigned char& out) {
    if (at == end) return false;
    out = static_cast<unsigned char>(*at++);
    return true;
  }
};

/// Runs `automaton` from `row` over the bytes `source` yields (anything with
/// `bool next(unsigned char&)`), calling `on_match(target_row)` for every
/// flagged transition, the end-of-text step included. Returns false when the
/// walk reached the fallback state: the caller must redo the text exactly.
AGENTSWEEP_CALLS_ANY_CALLABLE
template <class Source, class OnMatch>
AGENTSWEEP_HD inline bool walk_from(const AutomatonView& automaton, std::uint32_t row,
                                    Source source, OnMatch&& on_match) {
  unsigned char byte = 0;
  while (source.next(byte)) {
    const std::uint32_t step = automaton.next[row + automaton.byte_class[byte]];
    row = step & kRowMask;
    if (step & kMatchFlag) on_match(row);
    if (row == automaton.fallback_row) return false;
  }
  const std::uint32_t step = automaton.next[row + automaton.end_column];
  if ((step & kRowMask) == automaton.fallback_row) return false;
  if (step & kMatchFlag) on_match(step & kRowMask);
  return true;
}

/// walk_from the start state.
AGENTSWEEP_CALLS_ANY_CALLABLE
template <class Source, class OnMatch>
AGENTSWEEP_HD inline bool walk_automaton(const AutomatonView& automaton, Source source,
                                         OnMatch&& on_match) {
  return walk_from(automaton, automaton.start_row, source, on_match);
}

/**
 * Runs `automaton` over `Ways` raw spans at once, step by step in lockstep
 * while all have bytes, then each on its own. A DFA step is one table load
 * that depends on the previous one, so a single walk waits on memory latency;
 * independent walks interleaved overlap their loads (a CPU technique: GPU
 * threads hide latency by running other warps). Calls `on_match(way, row)`.
 */
AGENTSWEEP_CALLS_ANY_CALLABLE
template <int Ways, class OnMatch>
AGENTSWEEP_HD inline void walk_interleaved(const AutomatonView& automaton,
                                           const char* const (&text)[Ways],
                                           const std::uint32_t (&length)[Ways],
                                           bool (&complete)[Ways], OnMatch&& on_match) {
  std::uint32_t row[Ways];
  std::uint32_t common = length[0];
  for (int w = 0; w < Ways; ++w) {
    row[w] = automaton.start_row;
    common = length[w] < common ? length[w] : common;
  }
  // The fallback state loops on itself without matches: no need to stop here.
  for (std::uint32_t i = 0; i < common; ++i) {
    std::uint32_t step[Ways];
    for (int w = 0; w < Ways; ++w)
      step[w] =
          automaton.next[row[w] + automaton.byte_class[static_cast<unsigned char>(text[w][i])]];
    for (int w = 0; w < Ways; ++w) {
      row[w] = step[w] & kRowMask;
      if (step[w] & kMatchFlag) on_match(w, row[w]);
    }
  }
  // Each on its own for the rest of its bytes (the fallback state stays put,
  // so a walk that reached it reports incomplete there).
  for (int w = 0; w < Ways; ++w)
    complete[w] = walk_from(automaton, row[w], RawBytes{text[w] + common, text[w] + length[w]},
                            [&](std::uint32_t target) { on_match(w, target); });
}

/// What one walk found: the OR of the mask-mode bits, and the number of
/// pattern ids list mode would emit (sum of output counts, duplicates
/// included); or that it reached the fallback state (nothing else counts then).
struct WalkSummary {
  std::uint64_t mask = 0;
  std::uint32_t outputs = 0;
  bool fallback = false;
};

/// Adds what a flagged transition into `row` reports to `summary`.
AGENTSWEEP_HD inline void add_to_summary(const AutomatonView& automaton, std::uint32_t row,
                                         WalkSummary& summary) {
  const std::uint32_t state = automaton.state_of(row);
  if (!automaton.list_mode()) {
    summary.mask |= automaton.masks[state];
    return;
  }
  const std::uint32_t count = automaton.output_begin[state + 1] - automaton.output_begin[state];
  // Saturate: a line that overflows is handled by the host (scan_batch.inl).
  summary.outputs = summary.outputs > 0xffffffffu - count ? 0xffffffffu : summary.outputs + count;
}

template <class Source>
AGENTSWEEP_HD inline WalkSummary summarize_walk(const AutomatonView& automaton, Source source) {
  WalkSummary summary;
  if (!walk_automaton(automaton, source,
                      [&](std::uint32_t row) { add_to_summary(automaton, row, summary); }))
    summary = WalkSummary{0, 0, true};
  return summary;
}

}  // namespace agentsweep::kernels
