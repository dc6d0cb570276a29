/** @file
 * A rule's `detection` section compiled: every search identifier (maps of field items,
 * lists of keywords or maps) becomes an expression over pattern and value predicates,
 * and the condition combines them into the rule's program.
 *
 * Semantics, as in the Sigma specification: the items of a map all match (AND), the
 * entries of a list any (OR), the values of an item any unless `all`; a field mapped to
 * several JSON paths matches on any of them.
 */
#pragma once

#include <yaml-cpp/yaml.h>

#include "host/rules/compiled_rule.hpp"
#include "host/rules/rule_set.hpp"

namespace agentsweep::rules {

/// Fills `rule`'s condition text, fields, predicates and program from `detection`.
/// Throws RuleError: kRejected for malformed or unsupported detections (with the line),
/// kNotYetSupported for valid Sigma 1.x aggregations (`| count() ...`, `| near ...`,
/// `timeframe`), after checking everything else.
void compile_detection(const YAML::Node& detection, const LoadOptions& options, CompiledRule& rule);

}  // namespace agentsweep::rules
