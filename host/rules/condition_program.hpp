/** @file
 * A rule's condition as a postfix program over its predicate results: pushes of pattern
 * or value predicate results, then AND, OR and NOT on a small stack. A per-event
 * evaluator (GPU or CPU) runs it in one loop with a stack of `max_depth` booleans.
 * Detections and conditions are first built as an expression tree, then flattened.
 */
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace agentsweep::rules {

/// An expression over predicates, as detections and conditions are compiled.
struct Expression {
  enum class Kind : std::uint8_t { kPattern, kValue, kAnd, kOr, kNot };
  Kind kind = Kind::kPattern;
  std::uint32_t predicate = 0;  ///< kPattern, kValue: index into the rule's predicates
  std::vector<Expression> children;

  static Expression pattern(std::uint32_t index) { return {Kind::kPattern, index, {}}; }
  static Expression value(std::uint32_t index) { return {Kind::kValue, index, {}}; }
  /// AND or OR of `children`; a single child is returned as it is.
  static Expression join(Kind kind, std::vector<Expression> children);
  static Expression negate(Expression child);
};

enum class OpCode : std::uint8_t {
  kPushPattern,  ///< push the result of pattern predicate `operand`
  kPushValue,    ///< push the result of value predicate `operand`
  kAnd,          ///< pop two, push their AND
  kOr,           ///< pop two, push their OR
  kNot,          ///< negate the top
};

struct Instruction {
  OpCode op = OpCode::kPushPattern;
  std::uint32_t operand = 0;
  bool operator==(const Instruction&) const = default;
};

struct ConditionProgram {
  std::vector<Instruction> code;
  std::uint32_t max_depth = 0;  ///< most stack entries in use at once
};

ConditionProgram compile_program(const Expression& expression);

/// Runs `program` on one event's predicate results.
bool evaluate(const ConditionProgram& program, std::span<const bool> pattern_results,
              std::span<const bool> value_results);

/// The program in a readable form, e.g. "p0 p1 and v0 not or", for tests and debugging.
std::string to_string(const ConditionProgram& program);

}  // namespace agentsweep::rules
