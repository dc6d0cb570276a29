/** @file
 * The predicates of one rule while it compiles: fields, pattern and value predicates,
 * each stored once however often the detection uses it; `finish` keeps only what the
 * condition finally refers to and numbers it densely.
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/engine/patterns/pattern_set.hpp"
#include "host/rules/compiled_rule.hpp"
#include "host/rules/condition_program.hpp"
#include "host/rules/predicates.hpp"

namespace agentsweep::rules {

class PredicateTable {
 public:
  /// The index of a JSON path; throws std::invalid_argument for a path the engine cannot
  /// locate.
  int field(const std::string& path);
  std::uint32_t pattern(const engine::PatternSpec& spec);
  std::uint32_t value(const ValuePredicate& predicate);

  /// Fills `rule`'s fields, predicates and program from `condition`, leaving out
  /// predicates it never reads.
  void finish(const Expression& condition, CompiledRule& rule) const;

 private:
  std::vector<std::string> fields_;
  std::vector<engine::PatternSpec> patterns_;
  std::vector<ValuePredicate> values_;
};

}  // namespace agentsweep::rules
