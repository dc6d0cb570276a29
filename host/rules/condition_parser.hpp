/** @file
 * Sigma conditions: `and`, `or`, `not`, parentheses, `1 of X*`, `any of X*`, `all of X*`,
 * `1 of them`, `all of them` (precedence, loosest first: or, and, not, x of, parentheses),
 * over the detection's search identifiers. Sigma 1.x aggregations after a pipe
 * (`| count() by X > 5`, `| near Y`) are recognised, checked and set apart: they need the
 * aggregation engine.
 */
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "host/rules/condition_program.hpp"

namespace agentsweep::rules {

/// A condition that cannot be parsed: where (0-based character offset) and why.
class ConditionError : public std::invalid_argument {
 public:
  ConditionError(std::size_t position, const std::string& message)
      : std::invalid_argument(message), position_(position) {}
  std::size_t position() const { return position_; }

 private:
  std::size_t position_;
};

struct SplitCondition {
  std::string_view expression;
  std::string_view aggregation;  ///< after the pipe, trimmed; empty when there is none
  std::size_t aggregation_offset = 0;
};

/// Cuts a condition at its pipe, if any.
SplitCondition split_aggregation(std::string_view condition);

/// The expression `text` over `identifiers`, each replaced by its compiled detection.
/// Throws ConditionError.
Expression parse_condition(std::string_view text,
                           const std::map<std::string, Expression>& identifiers);

/// Checks a Sigma 1.x aggregation (`count(field) by group > 10`, `near a and not b`).
/// Throws ConditionError when it is not one.
void check_aggregation(std::string_view aggregation,
                       const std::map<std::string, Expression>& identifiers);

}  // namespace agentsweep::rules
