/** @file
 * Fuzzes the Sigma front end (host/rules): YAML rule loading and the
 * condition parser. The last input byte picks how the rest is used:
 *  - rule file: the bytes are loaded with load_rules_from_text. No exception
 *    may escape; every rule document becomes a compiled rule or an issue with
 *    a reason (rules + issues = documents); every compiled rule's condition
 *    program is well formed over its own predicates.
 *  - condition: the bytes are a condition over a fixed set of search
 *    identifiers (its aggregation, after a pipe, checked too). It parses or
 *    throws ConditionError with a message and a position inside the text. A
 *    parsed condition compiles to a well-formed program that gives what the
 *    expression tree gives for fuzzed predicate results, and printed back from
 *    the program (fully parenthesised infix) it parses to the same program.
 */
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "host/rules/condition_parser.hpp"
#include "host/rules/rule_set.hpp"
#include "kernels/rule_program.cuh"

namespace agentsweep::fuzz {
namespace {

using rules::ConditionProgram;
using rules::Expression;
using rules::OpCode;

/// Runs the program's stack discipline: every operand in range, never an
/// empty stack under an operator, max_depth right, one result at the end.
void check_well_formed(const ConditionProgram& program, std::size_t patterns, std::size_t values) {
  std::size_t depth = 0, deepest = 0;
  for (const rules::Instruction& in : program.code) {
    switch (in.op) {
      case OpCode::kPushPattern:
      case OpCode::kPushValue:
        FUZZ_REQUIRE(in.operand < (in.op == OpCode::kPushPattern ? patterns : values),
                     "operand " << in.operand << " of " << rules::to_string(program));
        deepest = std::max(deepest, ++depth);
        break;
      case OpCode::kNot:
        FUZZ_REQUIRE(depth >= 1, "not on an empty stack: " << rules::to_string(program));
        break;
      case OpCode::kAnd:
      case OpCode::kOr:
        FUZZ_REQUIRE(depth >= 2, "operator without two operands: " << rules::to_string(program));
        --depth;
        break;
    }
  }
  FUZZ_REQUIRE(depth == 1, depth << " results: " << rules::to_string(program));
  FUZZ_REQUIRE(deepest == program.max_depth,
               "max_depth " << program.max_depth << ", used " << deepest);
}

void check_rule_file(const std::string& text) {
  const rules::RuleSet set = rules::load_rules_from_text(text, "fuzz.yml");
  // Every document is a detection, a correlation that runs, a filter, or an issue.
  std::size_t runnable = 0;
  for (const rules::CorrelationRule& c : set.correlations) {
    runnable += c.unsupported.empty();
    FUZZ_REQUIRE(c.counts.min > 0 && !c.counts.accepts_nothing(),
                 "a correlation whose condition accepts " << c.counts.text());
    FUZZ_REQUIRE(!c.unsupported.empty() ||
                     (!c.slots.empty() && c.slots.size() <= kernels::kMaxCorrelationSlots &&
                      c.slots.size() <= c.rules.size()),
                 "a runnable correlation with " << c.slots.size() << " rule slots");
  }
  FUZZ_REQUIRE(
      set.rules.size() + runnable + set.filters.size() + set.issues.size() == set.documents,
      set.rules.size() << " rules, " << runnable << " correlations, " << set.filters.size()
                       << " filters and " << set.issues.size() << " issues from "
                       << set.documents << " documents");
  for (const rules::RuleIssue& issue : set.issues) {
    FUZZ_REQUIRE(!issue.reason.empty(), "an issue without a reason at line " << issue.line);
    FUZZ_REQUIRE(issue.file == "fuzz.yml" && issue.line >= 0, issue.file << ":" << issue.line);
  }
  for (const rules::CompiledRule& rule : set.rules)
    check_well_formed(rule.program, rule.patterns.size(), rule.values.size());
}

// Search identifiers of the condition mode: two kinds of predicate, names with
// '_', '.', '-' and a leading '_' (left out of `1 of them` unless named).
const std::map<std::string, Expression>& identifiers() {
  static const std::map<std::string, Expression> kIdentifiers = {
      {"selection", Expression::pattern(0)}, {"selection_cmd", Expression::pattern(1)},
      {"filter", Expression::value(0)},      {"filter.main-x", Expression::value(1)},
      {"keywords", Expression::pattern(2)},  {"_hidden", Expression::value(2)}};
  return kIdentifiers;
}
constexpr std::size_t kPatterns = 3, kValues = 3;

bool evaluate_tree(const Expression& e, std::uint32_t pattern_bits, std::uint32_t value_bits) {
  switch (e.kind) {
    case Expression::Kind::kPattern:
      return (pattern_bits >> e.predicate) & 1;
    case Expression::Kind::kValue:
      return (value_bits >> e.predicate) & 1;
    case Expression::Kind::kNot:
      return !evaluate_tree(e.children.front(), pattern_bits, value_bits);
    case Expression::Kind::kAnd:
    case Expression::Kind::kOr: {
      const bool is_and = e.kind == Expression::Kind::kAnd;
      for (const Expression& child : e.children)
        if (evaluate_tree(child, pattern_bits, value_bits) != is_and) return !is_and;
      return is_and;
    }
  }
  FUZZ_REQUIRE(false, "unknown expression kind");
  return false;
}

/// The program as a condition: fully parenthesised, each predicate by its identifier.
std::string print_condition(const ConditionProgram& program) {
  std::map<std::pair<OpCode, std::uint32_t>, std::string> names;
  for (const auto& [name, e] : identifiers())
    names[{e.kind == Expression::Kind::kPattern ? OpCode::kPushPattern : OpCode::kPushValue,
           e.predicate}] = name;
  std::vector<std::string> stack;
  for (const rules::Instruction& in : program.code) {
    if (in.op == OpCode::kPushPattern || in.op == OpCode::kPushValue) {
      stack.push_back(names.at({in.op, in.operand}));
    } else if (in.op == OpCode::kNot) {
      stack.back() = "(not " + stack.back() + ")";
    } else {
      const std::string right = stack.back();
      stack.pop_back();
      stack.back() = "(" + stack.back() + (in.op == OpCode::kAnd ? " and " : " or ") + right + ")";
    }
  }
  return stack.back();
}

void check_condition(const std::string& text, std::uint32_t pattern_bits,
                     std::uint32_t value_bits) {
  const rules::SplitCondition split = rules::split_aggregation(text);
  try {
    if (!split.aggregation.empty()) rules::check_aggregation(split.aggregation, identifiers());
  } catch (const rules::ConditionError& e) {
    FUZZ_REQUIRE(*e.what() != '\0', "an aggregation error without a message");
    FUZZ_REQUIRE(e.position() <= split.aggregation.size(), "position " << e.position());
  }
  Expression expression;
  try {
    expression = rules::parse_condition(split.expression, identifiers());
  } catch (const rules::ConditionError& e) {
    FUZZ_REQUIRE(*e.what() != '\0', "a condition error without a message");
    FUZZ_REQUIRE(e.position() <= split.expression.size(), "position " << e.position());
    return;
  }
  const ConditionProgram program = rules::compile_program(expression);
  check_well_formed(program, kPatterns, kValues);
  const bool patterns[kPatterns] = {bool(pattern_bits & 1), bool(pattern_bits & 2),
                                    bool(pattern_bits & 4)};
  const bool values[kValues] = {bool(value_bits & 1), bool(value_bits & 2), bool(value_bits & 4)};
  FUZZ_REQUIRE(rules::evaluate(program, patterns, values) ==
                   evaluate_tree(expression, pattern_bits, value_bits),
               rules::to_string(program)
                   << " on patterns " << pattern_bits << ", values " << value_bits);
  const std::string printed = print_condition(program);
  const ConditionProgram reparsed =
      rules::compile_program(rules::parse_condition(printed, identifiers()));
  FUZZ_REQUIRE(reparsed.code == program.code, "'" << printed << "' parses to "
                                                  << rules::to_string(reparsed) << ", not "
                                                  << rules::to_string(program));
}

}  // namespace
}  // namespace agentsweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace agentsweep::fuzz;
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size - 1);
  if (data[size - 1] & 1) {
    check_rule_file(text);
  } else {
    // The mode byte's other bits are the predicate results.
    check_condition(text, data[size - 1] >> 1, data[size - 1] >> 4);
  }
  return 0;
}
