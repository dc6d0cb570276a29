/** @file
 * Compiled Sigma detection rules as one engine::RuleProgram for `scan`: their
 * fields shared, their predicates and condition programs laid end to end.
 */
#pragma once

#include <vector>

#include "host/engine/rule_program.hpp"
#include "host/rules/compiled_rule.hpp"
#include "host/rules/correlation.hpp"

namespace agentsweep::rules {

/// What a scan runs: detection rules (rule i of the program is detections[i])
/// and correlations over them.
struct ScanRules {
  std::vector<const CompiledRule*> detections;
  /// Per detection: its matches are findings (else it only feeds correlations).
  std::vector<bool> alerts;
  /// Runnable correlations (CorrelationRule::unsupported empty), whose rules
  /// are all among `detections` (a chained correlation's slot counts none).
  std::vector<const CorrelationRule*> correlations;
};

/// Every detection's condition must fit kernels::kMaxConditionDepth (see fits_backend).
engine::RuleProgram build_rule_program(const ScanRules& rules);

/// Whether a backend can run `rule`'s condition (its stack depth).
bool fits_backend(const CompiledRule& rule);

}  // namespace agentsweep::rules
