/** @file
 * Aho-Corasick for sets of fixed strings: linear to build, however many
 * strings, in the same DFA layout as regexes (kernels/automaton.cuh).
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "host/engine/patterns/pattern_set.hpp"

namespace agentsweep::engine {

/// Raised when the tables would pass the memory budget.
struct AhoCorasickTooLarge {};

/**
 * Builds one automaton for `literals` (non-empty), whose global ids are
 * `pattern_ids`. With `fold_ascii_case`, ASCII letters match either case.
 * Mask mode for at most 64 literals, list mode otherwise. Throws
 * AhoCorasickTooLarge past `max_bytes` of tables.
 */
Automaton build_aho_corasick(const std::vector<std::string>& literals,
                             const std::vector<std::uint32_t>& pattern_ids, bool fold_ascii_case,
                             std::size_t max_bytes);

}  // namespace agentsweep::engine
