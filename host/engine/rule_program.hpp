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

/// Rules of a correlation that share their field names (kernels::CorrelationView);
/// none for a slot whose events are another correlation's firings (counted on the host).
struct CorrelationSlotSpec {
  std::vector<std::uint32_t> rules;  ///< the rules whose matches it counts
  std::vector<int> group_fields;     ///< indexes into RuleProgram::fields
  int value_field = -1;              ///< the counted or summed field; -1: none
};

/// A correlation over rules of the program: rows of events per group, time
/// and value, for the windows to be judged at the end of the scan.
struct CorrelationSpec {
  kernels::CorrelationValue value = kernels::CorrelationValue::kNone;
  bool every_slot = false;  ///< a line counts in each slot it matches, not only the first
  std::vector<CorrelationSlotSpec> slots;
};

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
  /// Per rule: 1 when its matches are findings, 0 when they only feed correlations.
  std::vector<std::uint8_t> alerts;
  std::vector<CorrelationSpec> correlations;

  std::uint32_t rules() const { return static_cast<std::uint32_t>(rule_begin.size() - 1); }
};

/// Most pattern predicates and rules per scan: a batch keeps one bit per line
/// for each, so at these limits each takes up to --batch-size bytes.
inline constexpr std::size_t kMaxRulePatterns = 512;
inline constexpr std::size_t kMaxRules = kernels::kMaxRuleWords * 64;
inline constexpr std::size_t kMaxCorrelations = 64;

}  // namespace agentsweep::engine
