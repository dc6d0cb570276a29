/** @file
 * Thompson simulation of an NFA over one text: the exact answer for lines on
 * which a DFA reached a state it did not build (see dfa_builder.hpp). Time is
 * O(text x NFA states), still linear in the text.
 */
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "host/engine/patterns/nfa.hpp"

namespace agentsweep::engine {

/// Sorted indices (within the NFA) of the patterns that occur in `text`.
std::vector<std::uint32_t> simulate_nfa(const Nfa& nfa, std::string_view text);

}  // namespace agentsweep::engine
