/** @file
 * The reference matcher for compiled rules, the oracle backends are tested against: each
 * pattern predicate runs through the engine's reference matcher (engine::match_line) on
 * the raw line or on the field value read with nlohmann::json, value predicates through
 * the reference evaluator, and the condition program combines them. Only JSON objects are
 * events: any other line matches no rule.
 */
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "host/engine/patterns/pattern_set.hpp"
#include "host/rules/compiled_rule.hpp"

namespace agentsweep::rules {

class RuleMatcher {
 public:
  /// Compiles the rule's patterns once; throws engine::PatternError as compile_patterns does.
  explicit RuleMatcher(CompiledRule rule, const engine::CompileLimits& limits = {});

  bool matches(std::string_view line) const;
  const CompiledRule& rule() const { return rule_; }

 private:
  /// The patterns of one scope, compiled to match a whole text.
  struct Scope {
    engine::PatternSet set;
    std::vector<std::uint32_t> rule_pattern;  ///< set pattern id -> rule pattern index
  };

  CompiledRule rule_;
  Scope line_scope_;
  std::vector<Scope> field_scopes_;  ///< by field index
};

/// One-off convenience: compiles `rule` and matches one line.
bool matches(const CompiledRule& rule, std::string_view line);

}  // namespace agentsweep::rules
