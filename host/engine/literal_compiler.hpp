/** @file
 * Compiles literal patterns into Aho-Corasick DFAs (kernels/literal_automaton.cuh),
 * 64 patterns per automaton, under a memory budget.
 */
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/literal_automaton.cuh"

namespace agentsweep::engine {

struct LiteralAutomaton {
  std::uint32_t first_pattern = 0;  ///< global index of bit 0
  std::uint32_t pattern_count = 0;
  std::uint32_t stride = 0;  ///< byte classes
  std::array<std::uint8_t, 256> byte_class{};
  std::vector<std::uint32_t> next;
  std::vector<std::uint64_t> matches;

  std::size_t states() const { return matches.size(); }
  std::size_t memory_bytes() const {
    return byte_class.size() + next.size() * sizeof(next[0]) + matches.size() * sizeof(matches[0]);
  }
};

/// Throws std::invalid_argument when a pattern is empty or the automata would
/// need more than `memory_budget` bytes.
std::vector<LiteralAutomaton> compile_literals(const std::vector<std::string>& patterns,
                                               std::size_t memory_budget);

}  // namespace agentsweep::engine
