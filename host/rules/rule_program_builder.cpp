/** @file
 * Laying rules end to end: field indexes, predicate ids and op codes renumbered.
 */
#include "host/rules/rule_program_builder.hpp"

#include <algorithm>
#include <stdexcept>

#include "host/rules/value_predicate_view.hpp"

namespace agentsweep::rules {
namespace {

kernels::RuleOpCode op_code(OpCode op) {
  switch (op) {
    case OpCode::kPushPattern:
      return kernels::RuleOpCode::kPushPattern;
    case OpCode::kPushValue:
      return kernels::RuleOpCode::kPushValue;
    case OpCode::kAnd:
      return kernels::RuleOpCode::kAnd;
    case OpCode::kOr:
      return kernels::RuleOpCode::kOr;
    case OpCode::kNot:
      return kernels::RuleOpCode::kNot;
  }
  throw std::logic_error("unknown condition op code");
}

}  // namespace

bool fits_backend(const CompiledRule& rule) {
  return rule.program.max_depth <= kernels::kMaxConditionDepth;
}

engine::RuleProgram build_rule_program(const ScanRules& scan) {
  engine::RuleProgram program;
  const auto field_of = [&program](const std::string& path) {
    const auto found = std::find(program.fields.begin(), program.fields.end(), path);
    if (found != program.fields.end()) return static_cast<int>(found - program.fields.begin());
    program.fields.push_back(path);
    return static_cast<int>(program.fields.size() - 1);
  };
  for (std::size_t d = 0; d < scan.detections.size(); ++d) {
    const CompiledRule* rule = scan.detections[d];
    const auto number = static_cast<std::uint32_t>(program.rule_begin.size() - 1);
    program.alerts.push_back(scan.alerts[d] ? 1 : 0);
    std::vector<int> field(rule->fields.size());
    for (std::size_t f = 0; f < rule->fields.size(); ++f) field[f] = field_of(rule->fields[f]);
    const auto first_pattern = static_cast<std::uint32_t>(program.patterns.size());
    for (engine::PatternSpec spec : rule->patterns) {
      if (spec.field != engine::kWholeLine)
        spec.field = field[static_cast<std::size_t>(spec.field)];
      program.patterns.push_back(std::move(spec));
      program.pattern_rule.push_back(number);
    }
    const auto first_value = static_cast<std::uint32_t>(program.values.size());
    for (const ValuePredicate& value : rule->values)
      program.values.push_back(make_view(value, field, program.value_text));
    for (const Instruction& in : rule->program.code) {
      const std::uint32_t base = in.op == OpCode::kPushPattern ? first_pattern
                                 : in.op == OpCode::kPushValue ? first_value
                                                               : 0;
      program.code.push_back({op_code(in.op), base + in.operand});
    }
    program.rule_begin.push_back(static_cast<std::uint32_t>(program.code.size()));
  }
  const auto detection_of = [&scan](const std::string& ref) {
    for (std::size_t d = 0; d < scan.detections.size(); ++d)
      if (scan.detections[d]->info.id == ref || scan.detections[d]->info.name == ref)
        return static_cast<std::uint32_t>(d);
    throw std::logic_error("a correlation's rules are not all among the detections");
  };
  for (const CorrelationRule* c : scan.correlations) {
    engine::CorrelationSpec spec;
    spec.value = c->temporal()              ? kernels::CorrelationValue::kSlot
                 : c->numeric()             ? kernels::CorrelationValue::kNumber
                 : c->type == "value_count" ? kernels::CorrelationValue::kValueHash
                                            : kernels::CorrelationValue::kNone;
    spec.every_slot = c->temporal();
    for (const CorrelationSlot& slot : c->slots) {
      engine::CorrelationSlotSpec s;  // a chained correlation's slot matches no line
      if (slot.correlation < 0) {
        for (const std::string& ref : slot.rules) s.rules.push_back(detection_of(ref));
        for (const std::string& path : slot.group_paths) s.group_fields.push_back(field_of(path));
        if (!slot.value_path.empty()) s.value_field = field_of(slot.value_path);
      }
      spec.slots.push_back(std::move(s));
    }
    program.correlations.push_back(std::move(spec));
  }
  return program;
}

}  // namespace agentsweep::rules
