/** @file
 * The literal prefilter pass, per line: one Aho-Corasick walk over the
 * line's bytes in scope marks the automata whose required factors occur in
 * it (their candidate lines); other automata cannot match the line.
 */
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/automaton.cuh"
#include "kernels/match_lines.cuh"
#include "kernels/portability.cuh"

namespace agentsweep::kernels {

/// Sets, in line `index`'s `words` words of `bits`, bit s of every slot s
/// (a prefiltered automaton) that the prefilter reports in the line.
struct MarkCandidates {
  PatternScope scope;
  AutomatonView prefilter;
  std::uint64_t* bits;
  std::uint32_t words;

  AGENTSWEEP_HD void operator()(std::uint32_t index) const {
    std::uint64_t* line_bits = bits + static_cast<std::size_t>(index) * words;
    for (std::uint32_t w = 0; w < words; ++w) line_bits[w] = 0;
    scope.read(index, [&](auto source) {
      walk_automaton(prefilter, source, [&](std::uint32_t row) {
        const std::uint32_t state = prefilter.state_of(row);
        if (!prefilter.list_mode()) {
          line_bits[0] |= prefilter.masks[state];
          return;
        }
        for (std::uint32_t o = prefilter.output_begin[state]; o < prefilter.output_begin[state + 1];
             ++o)
          line_bits[prefilter.outputs[o] / 64] |= std::uint64_t{1} << (prefilter.outputs[o] % 64);
      });
    });
  }
};

/// Word `word` of line `index`'s candidate bits: OR-reduced over a batch, the
/// slots with a candidate at all (the others skip the batch without a pass).
struct CandidateWord {
  const std::uint64_t* bits;
  std::uint32_t words;
  std::uint32_t word;

  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t index) const {
    return bits[static_cast<std::size_t>(index) * words + word];
  }
};

/// Whether line `index` is a candidate of slot `slot`.
struct IsCandidate {
  const std::uint64_t* bits;
  std::uint32_t words;
  std::uint32_t slot;

  AGENTSWEEP_HD bool operator()(std::uint32_t index) const {
    return (bits[static_cast<std::size_t>(index) * words + slot / 64] >> (slot % 64) & 1u) != 0;
  }
};

}  // namespace agentsweep::kernels
