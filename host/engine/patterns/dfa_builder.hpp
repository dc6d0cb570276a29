/** @file
 * Subset construction: a multi-pattern NFA with zero-width assertions turned
 * into a byte-class DFA in the layout of kernels/automaton.cuh, with
 * unanchored (search anywhere) semantics.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "host/engine/patterns/nfa.hpp"
#include "host/engine/patterns/pattern_set.hpp"

namespace agentsweep::engine {

/// Raised when the DFA would pass its state or memory budget.
struct DfaTooLarge {};

/**
 * Builds the DFA of `nfa`, whose pattern i has global id `pattern_ids[i]`.
 * Mask mode when there are at most 64 patterns, list mode otherwise. Throws
 * DfaTooLarge past `max_states` states or `max_bytes` of tables.
 */
Automaton build_dfa(const Nfa& nfa, const std::vector<std::uint32_t>& pattern_ids,
                    std::size_t max_states, std::size_t max_bytes);

}  // namespace agentsweep::engine
