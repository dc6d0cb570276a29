/** @file
 * Helpers for the rule tests: a detection section wrapped into a whole rule, compiled,
 * and the one issue a broken rule produces.
 */
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "host/rules/reference_matcher.hpp"
#include "host/rules/rule_set.hpp"

namespace agentsweep::rules::testing {

/// A complete rule around `detection` (YAML lines of the detection map, unindented).
inline std::string rule_yaml(const std::string& detection) {
  std::string out = "title: Test rule\nlogsource:\n  product: test\ndetection:\n";
  std::istringstream lines(detection);
  for (std::string line; std::getline(lines, line);) out += "  " + line + "\n";
  return out;
}

/// The one rule `detection` compiles to; fails the test with the reason when it does not.
inline CompiledRule compile(const std::string& detection, const LoadOptions& options = {}) {
  const RuleSet set = load_rules_from_text(rule_yaml(detection), "test.yml", options);
  if (set.rules.size() != 1) {
    ADD_FAILURE() << "the rule did not load: "
                  << (set.issues.empty() ? "no issue" : set.issues.front().reason);
    return {};
  }
  return set.rules.front();
}

/// The one issue `yaml` (a whole file) produces.
inline RuleIssue issue_of_file(const std::string& yaml, const LoadOptions& options = {}) {
  const RuleSet set = load_rules_from_text(yaml, "test.yml", options);
  if (set.issues.size() != 1) {
    ADD_FAILURE() << "expected one issue, got " << set.issues.size();
    return {};
  }
  return set.issues.front();
}

inline RuleIssue issue_of(const std::string& detection, const LoadOptions& options = {}) {
  return issue_of_file(rule_yaml(detection), options);
}

}  // namespace agentsweep::rules::testing
