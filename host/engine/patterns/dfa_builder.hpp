/** @file
 * Subset construction: a multi-pattern NFA with zero-width assertions turned
 * into a byte-class DFA in the layout of kernels/automaton.cuh, with
 * unanchored (search anywhere) semantics.
 */
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "host/engine/patterns/nfa.hpp"
#include "host/engine/patterns/pattern_set.hpp"

namespace agentsweep::engine {

/// Raised when not even the start state fits the memory budget.
struct DfaTooLarge {};

/// Raised when building takes past its deadline.
struct DfaOutOfTime {};

/**
 * Builds the DFA of `nfa`, whose pattern i has global id `pattern_ids[i]`,
 * breadth-first from the start state. Mask mode when there are at most 64
 * patterns, list mode otherwise. States past `max_states` or `max_bytes` of
 * tables are not built: their transitions lead to a fallback state, and lines
 * that reach it are matched by NFA simulation. Subset construction can need
 * exponentially many states; the states near the start, which ordinary text
 * keeps to, are the ones built.
 */
Automaton build_dfa(
    std::shared_ptr<const Nfa> nfa, const std::vector<std::uint32_t>& pattern_ids,
    std::size_t max_states, std::size_t max_bytes,
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max());

}  // namespace agentsweep::engine
