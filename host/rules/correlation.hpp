/** @file
 * Correlation rules and global filters, read and validated. Correlations run on the
 * aggregation engine (rows per group and time, windows judged at the end of a scan);
 * filters are folded into the rules they name when the rules load.
 */
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "host/engine/count_range.hpp"
#include "host/engine/value_condition.hpp"
#include "host/rules/compiled_rule.hpp"
#include "host/rules/rule_info.hpp"

namespace agentsweep::rules {

/// The rules a correlation counts in one slot, and where their events keep the
/// group and value fields (the fields differ between rules with aliases).
struct CorrelationSlot {
  std::vector<std::string> rules;        ///< ids or names
  std::vector<std::string> group_paths;  ///< JSON paths, in group_by order
  std::string value_path;                ///< the counted or summed field; empty: none
  /// A chained correlation (its index among the rule set's correlations), whose
  /// firings are this slot's events; -1: the slot counts detection rules.
  int correlation = -1;
  std::vector<int> label_fields;  ///< chained: each group_by field's place in its group
  int value_label = -1;           ///< chained value_count: the counted field's place
};

/// The value_* types read a field named in their condition.
inline bool reads_field(const std::string& type) {
  return type.rfind("value_", 0) == 0;
}
/// value_sum, value_avg, value_percentile, value_median: judged on a number, not a count.
inline bool judged_on_numbers(const std::string& type) {
  return reads_field(type) && type != "value_count";
}

struct CorrelationRule {
  RuleInfo info;
  std::string type;                ///< event_count, value_count, temporal, ...
  std::vector<std::string> rules;  ///< ids or names of the rules it correlates
  std::vector<std::string> group_by;
  std::int64_t timespan_seconds = 0;
  engine::ValueCondition condition;  ///< its bounds, as written
  std::vector<std::string> fields;   ///< condition `field` (value_* types)
  double percentile = 50;            ///< value_percentile (value_median: 50)
  std::string extended_condition;    ///< temporal: a boolean expression over rule names
  std::map<std::string, std::map<std::string, std::string>> aliases;
  bool generate = false;   ///< the correlated rules also alert on their own
  bool standalone = true;  ///< false: only an input of the correlations that chain it

  // Filled when the rules load (rule_set.cpp):
  std::string unsupported;  ///< why agentsweep cannot run it yet; empty: it can
  /// One per rule when the rules name fields differently (aliases) or the type
  /// asks which rules matched (temporal types); else one for all the rules.
  std::vector<CorrelationSlot> slots;
  std::vector<std::string> group_labels;  ///< group_by as reports name it: paths, or aliases
  std::string value_label;                ///< the value field as reports name it
  engine::CountRange counts;              ///< counting types: the counts the condition accepts

  bool temporal() const { return type == "temporal" || type == "temporal_ordered"; }
  bool numeric() const { return judged_on_numbers(type); }
};

struct GlobalFilter {
  RuleInfo info;
  std::vector<std::string> rules;  ///< ids or names of the rules it filters
  CompiledRule filter;             ///< its selection and condition, compiled
};

}  // namespace agentsweep::rules
