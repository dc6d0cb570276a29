/** @file
 * Why a rule document cannot run, while it is being read: thrown by the parsers and
 * turned into a RuleIssue (with the rule's file, id and title) by the loader.
 */
#pragma once

#include <stdexcept>
#include <string>

#include "host/rules/rule_set.hpp"

namespace agentsweep::rules {

class RuleError : public std::runtime_error {
 public:
  RuleError(IssueKind kind, int line, const std::string& reason)
      : std::runtime_error(reason), kind_(kind), line_(line) {}
  IssueKind kind() const { return kind_; }
  int line() const { return line_; }

 private:
  IssueKind kind_;
  int line_;
};

/// The wording every "needs the aggregation engine" reason ends with.
inline constexpr const char* kNeedsAggregation = "not yet supported (needs the aggregation engine)";

}  // namespace agentsweep::rules
