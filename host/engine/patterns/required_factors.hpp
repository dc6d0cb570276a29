/** @file
 * Required factors of a regex, for the literal prefilter: a set of strings
 * such that every match of the regex contains at least one of them. A line
 * that contains none cannot match, so the regex's automaton skips it. The
 * analysis is RE2's prefilter (exact sets while small, else the best required
 * set) over the parsed tree, where case folding is already explicit.
 */
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "host/engine/patterns/regex/regex_ast.hpp"

namespace agentsweep::engine {

struct FactorLimits {
  /// Shortest factor worth a prefilter: shorter ones occur in most lines.
  std::size_t min_length = 3;
  /// Most strings of an exact set (a class expanded, a cross product).
  std::size_t max_exact = 16;
};

/// ASCII letters lowered: the prefilter matches factors folding ASCII case
/// (more candidates, never fewer), so `(?i)key` needs one factor, not eight.
std::string fold_ascii(std::string text);

/**
 * Sorted, unique factors (UTF-8, ASCII letters lowered) of which every match
 * of `regex` contains one, each at least `limits.min_length` bytes; nullopt
 * when there is no such set (the regex must run on every line).
 */
std::optional<std::vector<std::string>> required_factors(const regex::RegexNode& regex,
                                                         const FactorLimits& limits = {});

}  // namespace agentsweep::engine
