/** @file
 * apply_filter: the filter's fields, predicates and program appended to the
 * rule's, its predicate numbers shifted past the rule's, then NOT and AND.
 */
#include "host/rules/global_filter.hpp"

#include <algorithm>
#include <vector>

namespace agentsweep::rules {

namespace {

/// The rule's index of `path`, added to its fields when new.
int field_index(CompiledRule& rule, const std::string& path) {
  const auto found = std::find(rule.fields.begin(), rule.fields.end(), path);
  if (found != rule.fields.end()) return static_cast<int>(found - rule.fields.begin());
  rule.fields.push_back(path);
  return static_cast<int>(rule.fields.size() - 1);
}

}  // namespace

void apply_filter(CompiledRule& rule, const CompiledRule& filter, const std::string& filter_id) {
  std::vector<int> field_of(filter.fields.size());
  for (std::size_t f = 0; f < filter.fields.size(); ++f)
    field_of[f] = field_index(rule, filter.fields[f]);

  const auto pattern_base = static_cast<std::uint32_t>(rule.patterns.size());
  const auto value_base = static_cast<std::uint32_t>(rule.values.size());
  for (engine::PatternSpec spec : filter.patterns) {
    if (spec.field != engine::kWholeLine)
      spec.field = field_of[static_cast<std::size_t>(spec.field)];
    rule.patterns.push_back(std::move(spec));
  }
  for (ValuePredicate value : filter.values) {
    value.field = field_of[static_cast<std::size_t>(value.field)];
    if (value.other_field >= 0)
      value.other_field = field_of[static_cast<std::size_t>(value.other_field)];
    rule.values.push_back(std::move(value));
  }
  for (Instruction instruction : filter.program.code) {
    if (instruction.op == OpCode::kPushPattern) instruction.operand += pattern_base;
    if (instruction.op == OpCode::kPushValue) instruction.operand += value_base;
    rule.program.code.push_back(instruction);
  }
  rule.program.code.push_back({OpCode::kNot, 0});
  rule.program.code.push_back({OpCode::kAnd, 0});
  // The rule's result waits on the stack while the filter's program runs.
  rule.program.max_depth = std::max(rule.program.max_depth, filter.program.max_depth + 1);
  rule.condition = "(" + rule.condition + ") and not filter " + filter_id;
}

}  // namespace agentsweep::rules
