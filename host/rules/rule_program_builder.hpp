/** @file
 * Compiled Sigma detection rules as one engine::RuleProgram for `scan`: their
 * fields shared, their predicates and condition programs laid end to end.
 */
#pragma once

#include <vector>

#include "host/engine/rule_program.hpp"
#include "host/rules/compiled_rule.hpp"

namespace agentsweep::rules {

/// Rule i of the program is rules[i]. Every rule's condition must fit
/// kernels::kMaxConditionDepth (see fits_backend).
engine::RuleProgram build_rule_program(const std::vector<const CompiledRule*>& rules);

/// Whether a backend can run `rule`'s condition (its stack depth).
bool fits_backend(const CompiledRule& rule);

}  // namespace agentsweep::rules
