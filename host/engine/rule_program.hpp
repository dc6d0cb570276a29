/** @file
 * Detection rules in the form a scan plan takes them, independent of the rule
 * language (host/rules builds it from Sigma): the JSON fields they read,
 * pattern predicates for the pattern engine, value predicates, and one
 * postfix condition program per rule over both (kernels/rule_program.cuh).
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/engine/patterns/pattern_set.hpp"
#include "kernels/rule_program.cuh"
#include "kernels/value_predicates.cuh"

namespace agentsweep::engine {

struct RuleProgram {
  std::vector<std::string> fields;  ///< dotted JSON paths the predicates read
  /// Pattern predicates; `field` indexes `fields` (or is kWholeLine).
  std::vector<PatternSpec> patterns;
  std::vector<std::uint32_t> pattern_rule;  ///< the rule each pattern predicate belongs to
  /// Value predicates; `field` and `other_field` index `fields`.
  std::vector<kernels::ValuePredicateView> values;
  std::string value_text;  ///< the text pool of `values`
  /// Every rule's program one after another; operands are predicate ids.
  std::vector<kernels::RuleOp> code;
  std::vector<std::uint32_t> rule_begin{0};  ///< rule r: code[rule_begin[r], rule_begin[r + 1])

  std::uint32_t rules() const { return static_cast<std::uint32_t>(rule_begin.size() - 1); }
};

/// Most pattern predicates and rules per scan: a batch keeps one bit per line
/// for each, so at these limits each takes up to --batch-size bytes.
inline constexpr std::size_t kMaxRulePatterns = 512;
inline constexpr std::size_t kMaxRules = 512;

}  // namespace agentsweep::engine
