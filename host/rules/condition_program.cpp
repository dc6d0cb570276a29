/** @file
 * Flattening expression trees into postfix programs, and the reference evaluator.
 */
#include "host/rules/condition_program.hpp"

#include <algorithm>
#include <stdexcept>

namespace agentsweep::rules {
namespace {

/// Emits `e` and returns the stack depth it needs on top of what is already there.
std::uint32_t emit(const Expression& e, std::vector<Instruction>& code) {
  switch (e.kind) {
    case Expression::Kind::kPattern:
      code.push_back({OpCode::kPushPattern, e.predicate});
      return 1;
    case Expression::Kind::kValue:
      code.push_back({OpCode::kPushValue, e.predicate});
      return 1;
    case Expression::Kind::kNot: {
      const std::uint32_t depth = emit(e.children.front(), code);
      code.push_back({OpCode::kNot, 0});
      return depth;
    }
    case Expression::Kind::kAnd:
    case Expression::Kind::kOr: {
      // n children become a chain of n - 1 binary operators: a b op c op ...
      const OpCode op = e.kind == Expression::Kind::kAnd ? OpCode::kAnd : OpCode::kOr;
      std::uint32_t depth = emit(e.children.front(), code);
      for (std::size_t i = 1; i < e.children.size(); ++i) {
        depth = std::max(depth, 1 + emit(e.children[i], code));
        code.push_back({op, 0});
      }
      return depth;
    }
  }
  throw std::logic_error("unknown expression kind");
}

}  // namespace

Expression Expression::join(Kind kind, std::vector<Expression> children) {
  if (children.size() == 1) return std::move(children.front());
  return {kind, 0, std::move(children)};
}

Expression Expression::negate(Expression child) {
  return {Kind::kNot, 0, {std::move(child)}};
}

ConditionProgram compile_program(const Expression& expression) {
  ConditionProgram program;
  program.max_depth = emit(expression, program.code);
  return program;
}

bool evaluate(const ConditionProgram& program, std::span<const bool> pattern_results,
              std::span<const bool> value_results) {
  std::vector<bool> stack;
  stack.reserve(program.max_depth);
  for (const Instruction& in : program.code) {
    switch (in.op) {
      case OpCode::kPushPattern:
        stack.push_back(pattern_results[in.operand]);
        break;
      case OpCode::kPushValue:
        stack.push_back(value_results[in.operand]);
        break;
      case OpCode::kNot:
        stack.back() = !stack.back();
        break;
      case OpCode::kAnd:
      case OpCode::kOr: {
        const bool right = stack.back();
        stack.pop_back();
        stack.back() = in.op == OpCode::kAnd ? (stack.back() && right) : (stack.back() || right);
        break;
      }
    }
  }
  return stack.back();
}

std::string to_string(const ConditionProgram& program) {
  std::string out;
  for (const Instruction& in : program.code) {
    if (!out.empty()) out += ' ';
    switch (in.op) {
      case OpCode::kPushPattern:
        out += 'p' + std::to_string(in.operand);
        break;
      case OpCode::kPushValue:
        out += 'v' + std::to_string(in.operand);
        break;
      case OpCode::kAnd:
        out += "and";
        break;
      case OpCode::kOr:
        out += "or";
        break;
      case OpCode::kNot:
        out += "not";
        break;
    }
  }
  return out;
}

}  // namespace agentsweep::rules
