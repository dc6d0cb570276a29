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

engine::RuleProgram build_rule_program(const std::vector<const CompiledRule*>& rules) {
  engine::RuleProgram program;
  for (const CompiledRule* rule : rules) {
    const auto number = static_cast<std::uint32_t>(program.rule_begin.size() - 1);
    std::vector<int> field(rule->fields.size());
    for (std::size_t f = 0; f < rule->fields.size(); ++f) {
      const auto found = std::find(program.fields.begin(), program.fields.end(), rule->fields[f]);
      field[f] = static_cast<int>(found - program.fields.begin());
      if (found == program.fields.end()) program.fields.push_back(rule->fields[f]);
    }
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
  return program;
}

}  // namespace agentsweep::rules
