/** @file
 * Set algebra on CodepointSet (sorted, merged ranges) for the regex parser:
 * building a set from loose ranges, complement, and closure under Unicode
 * simple case folding, which is how (?i) applies to literals and classes.
 */
#pragma once

#include <span>
#include <vector>

#include "host/engine/patterns/regex/regex_ast.hpp"

namespace agentsweep::engine::regex {

inline constexpr char32_t kMaxCodepoint = 0x10FFFF;

/// Sorts and merges ranges that may overlap or touch.
CodepointSet normalized(std::vector<CodepointRange> ranges);

/// `set` plus `more`, normalized.
CodepointSet united(const CodepointSet& set, std::span<const CodepointRange> more);

/// Every code point from 0 to kMaxCodepoint that is not in `set`.
CodepointSet complement(const CodepointSet& set);

/// `set` plus every code point that is case-fold equivalent to one of its
/// members (k adds K and U+212A KELVIN SIGN), as RE2 folds under (?i).
CodepointSet case_folded(const CodepointSet& set);

bool contains(std::span<const CodepointRange> set, char32_t c);

}  // namespace agentsweep::engine::regex
