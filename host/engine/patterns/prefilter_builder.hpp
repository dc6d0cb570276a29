/** @file
 * The literal prefilters of a compiled pattern set: per scope, one
 * Aho-Corasick automaton over the required factors of the regex automata
 * whose every pattern has some (PatternSet::factors).
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "host/engine/patterns/pattern_set.hpp"

namespace agentsweep::engine {

/// Prefilters for `set` (its automata and factors final). Throws
/// AhoCorasickTooLarge past `max_bytes` of tables: without its prefilter a
/// scope would walk every automaton over every line, many times slower.
std::vector<Prefilter> build_prefilters(const PatternSet& set, std::size_t max_bytes);

/// Bytes of tables that build_prefilters takes at most for the factors of
/// `set`, whichever automata its patterns end up in (one slot per factor,
/// the most there can be): what the compiler sets aside before the regex
/// automata take the rest. Throws AhoCorasickTooLarge past `max_bytes`.
std::size_t prefilter_bytes_at_most(const PatternSet& set, std::size_t max_bytes);

/// Sorted indexes into PatternSet::automata of the automata of which `text`
/// is a candidate line under `prefilter` (what kernels/prefilter.cuh marks).
/// Host code, for checks.
std::vector<std::uint32_t> candidate_automata(const Prefilter& prefilter, std::string_view text);

}  // namespace agentsweep::engine
