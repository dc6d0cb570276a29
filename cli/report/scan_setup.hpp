/** @file
 * What a scan looked for and where (entity paths, patterns, compiled matcher,
 * rules run and not run): all a report needs besides the scan state. `scan`
 * describes its plan this way; state files carry it, as JSON, for `merge`.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "host/engine/count_range.hpp"
#include "host/engine/scan_plan.hpp"
#include "host/engine/value_condition.hpp"
#include "host/rules/correlation.hpp"
#include "host/rules/rule_info.hpp"

namespace agentsweep::report {

/// A rule that was loaded but does not run, and why.
struct RuleIssueRow {
  std::string file;
  int line = 0;
  std::string id;
  std::string title;
  std::string kind;  ///< "rejected" or "not yet supported"
  std::string reason;
};

/// What the pattern compiler built.
struct MatcherRow {
  std::size_t automata = 0;
  std::size_t aho_corasick = 0;  ///< fixed-string automata
  std::size_t regex_dfas = 0;
  std::size_t states = 0;
  std::size_t memory_bytes = 0;
  /// Regexes that run only on lines holding one of their required factors
  /// (the literal prefilter), and how many distinct factors those are.
  std::size_t prefiltered_patterns = 0;
  std::size_t factors = 0;
};

/// A slot of a correlation whose events are the firings of another correlation.
struct ChainedSlot {
  std::uint32_t slot = 0;                   ///< its place among the correlation's rules
  std::uint32_t correlation = 0;            ///< the chained one: an earlier index into the catalog
  std::vector<std::uint32_t> label_fields;  ///< per group_by field, its place in that one's group
  std::int32_t value_field = -1;            ///< value_count: the counted field's place

  friend bool operator==(const ChainedSlot&, const ChainedSlot&) = default;
};

/// A correlation rule a scan runs, as its report needs it.
struct CorrelationInfo {
  rules::RuleInfo info;
  std::string type;  ///< a Sigma correlation type (event_count, temporal, value_sum, ...)
  std::int64_t timespan_seconds = 0;
  engine::CountRange counts;           ///< the condition of the counting types
  engine::ValueCondition condition;    ///< the condition as written (the numeric types judge by it)
  double percentile = 50;              ///< value_percentile, value_median
  std::uint64_t rules = 0;             ///< how many rules it correlates
  std::vector<std::string> group_by;   ///< JSON paths, or aliases
  std::string field;                   ///< the counted or summed field
  std::vector<ChainedSlot> chained{};  ///< slots that count other correlations' firings
  bool alerts = true;                  ///< false: only an input of the correlations chaining it

  bool numeric() const { return rules::judged_on_numbers(type); }
  /// ">= 12", "> 1000.5": the condition as the table shows it.
  std::string condition_text() const { return numeric() ? condition.text() : counts.text(); }
};

/// The rules of a scan: detections run (in plan order), correlations run (in
/// plan order), and those not run.
struct RuleCatalog {
  std::vector<rules::RuleInfo> run;
  std::vector<bool> alerts;  ///< per detection run: false when it only feeds correlations
  /// In load order, except that a chained correlation comes before those chaining it.
  std::vector<CorrelationInfo> correlations;
  std::vector<RuleIssueRow> not_run;
};

struct PatternLabel {
  std::string pattern;
  std::string scope;  ///< "line" or the field path
};

/// What a scan looked for and where: all a report needs besides the state.
/// `scan` builds it from its plan; state files carry it for `merge`.
struct ScanSetup {
  engine::EntityPaths entities;
  std::vector<PatternLabel> patterns;  ///< in the plan's order
  MatcherRow matcher;
  RuleCatalog rules;
};

ScanSetup describe(const engine::ScanPlan& plan, RuleCatalog rules);

/// The setup as JSON text, and back; setup_from_json throws std::runtime_error
/// on text that is not one.
std::string setup_to_json(const ScanSetup& setup);
ScanSetup setup_from_json(const std::string& text);

}  // namespace agentsweep::report
