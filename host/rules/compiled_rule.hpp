/** @file
 * A detection rule ready to run: the JSON fields it reads, its pattern predicates for the
 * engine, its value predicates, and the condition program that combines their results
 * into one verdict per event.
 */
#pragma once

#include <string>
#include <vector>

#include "host/engine/patterns/pattern_set.hpp"
#include "host/rules/condition_program.hpp"
#include "host/rules/predicates.hpp"
#include "host/rules/rule_info.hpp"

namespace agentsweep::rules {

struct CompiledRule {
  RuleInfo info;
  std::string condition;  ///< as written (a list of conditions joined with " or ")
  /// Dotted JSON paths the predicates read (after field mapping).
  std::vector<std::string> fields;
  /// Pattern predicates; `field` indexes `fields`, or is engine::kWholeLine for keywords.
  std::vector<engine::PatternSpec> patterns;
  std::vector<ValuePredicate> values;
  /// Over the results of `patterns` (kPushPattern) and `values` (kPushValue).
  ConditionProgram program;
  /// False when the rule only feeds correlation rules (Sigma's `generate: false`, the
  /// default): its matches are no alert of their own.
  bool standalone = true;
};

}  // namespace agentsweep::rules
