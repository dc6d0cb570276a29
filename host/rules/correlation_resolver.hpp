/** @file
 * Correlation rules made runnable once every rule is loaded: the rules each one
 * counts, in slots with their own group and value fields (aliases), and the
 * correlations it chains (Sigma's correlations of correlations), or the reason
 * it cannot run.
 */
#pragma once

#include <map>
#include <string>
#include <vector>

#include "host/rules/compiled_rule.hpp"
#include "host/rules/correlation.hpp"
#include "host/rules/field_mapping.hpp"

namespace agentsweep::rules {

/// Fills each correlation's slots and labels, or sets `unsupported`. Every
/// reference must name a detection in `rules` or one of `correlations` (by id
/// or name). Rules and correlations counted by a correlation without
/// `generate: true` are marked as not standalone: inputs only.
void resolve_correlations(std::vector<CorrelationRule>& correlations,
                          const std::map<std::string, CompiledRule*>& rules,
                          const FieldMapping& fields);

}  // namespace agentsweep::rules
