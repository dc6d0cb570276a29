/** @file
 * Correlation rules and global filters, read and validated. Both need the aggregation
 * engine (counts and time windows per group, or filters applied across rules), which
 * does not exist yet: loading reports them as not yet supported, never drops them.
 */
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "host/engine/count_range.hpp"
#include "host/rules/compiled_rule.hpp"
#include "host/rules/rule_info.hpp"

namespace agentsweep::rules {

/// One bound of a correlation condition, e.g. {"gte", 100}.
struct CorrelationBound {
  std::string comparison;  ///< gt, gte, lt, lte, eq or neq
  double value = 0;
};

struct CorrelationRule {
  RuleInfo info;
  std::string type;                ///< event_count, value_count, temporal, ...
  std::vector<std::string> rules;  ///< ids or names of the rules it correlates
  std::vector<std::string> group_by;
  std::int64_t timespan_seconds = 0;
  std::vector<CorrelationBound> condition;
  std::vector<std::string> fields;  ///< condition `field` (value_* types)
  std::map<std::string, std::map<std::string, std::string>> aliases;
  bool generate = false;  ///< the correlated rules also alert on their own

  // Filled when the rules load (rule_set.cpp):
  std::string unsupported;               ///< why agentsweep cannot run it yet; empty: it can
  std::vector<std::string> group_paths;  ///< group_by as JSON paths (after field mapping)
  std::string value_path;                ///< value_count: the counted field as a JSON path
  engine::CountRange counts;             ///< the condition, as the counts it accepts
};

struct GlobalFilter {
  RuleInfo info;
  std::vector<std::string> rules;  ///< ids or names of the rules it filters
  CompiledRule filter;             ///< its selection and condition, compiled
};

}  // namespace agentsweep::rules
