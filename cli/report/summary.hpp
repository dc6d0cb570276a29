/** @file
 * The facts a report shows, computed once from the scan state and shared by
 * every output format, so the table and the JSON can never disagree. Every
 * list is sorted with a total order: output is deterministic.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/report/scan_setup.hpp"
#include "host/rules/rule_info.hpp"
#include "host/state/scan_state.hpp"

namespace agentsweep::report {

struct Totals {
  std::uint64_t files = 0;
  std::uint64_t files_with_errors = 0;
  std::uint64_t compressed_bytes = 0;
  std::uint64_t decoded_bytes = 0;
  std::uint64_t scanned_bytes = 0;
  std::uint64_t skipped_bytes = 0;
  std::uint64_t lines = 0;
  std::uint64_t blank_lines = 0;
  std::uint64_t events = 0;
  std::uint64_t malformed_lines = 0;
  std::uint64_t oversized_lines = 0;
  std::uint64_t incomplete_lines = 0;
  std::uint64_t events_without_agent = 0;
  std::uint64_t events_without_operator = 0;
  std::uint64_t events_without_key = 0;
  std::uint64_t events_without_ip = 0;
  std::uint64_t events_without_time = 0;       ///< no time field, or null
  std::uint64_t events_with_invalid_time = 0;  ///< a time field that is no timestamp
  std::uint64_t hit_lines = 0;
  std::uint64_t agents = 0;
  std::uint64_t operators = 0;
  std::uint64_t keys = 0;
  std::uint64_t ips = 0;
  std::uint64_t id_collisions = 0;
  std::uint64_t host_walks = 0;  ///< line walks redone on the host (see docs/patterns.md)
};

/// Nearest-rank percentiles: pN is the smallest value with at least N % of
/// the values at or below it.
struct Distribution {
  double mean = 0;
  std::uint64_t p50 = 0;
  std::uint64_t p99 = 0;
  std::uint64_t max = 0;
};

struct Fleet {
  Distribution agents_per_operator;
  std::uint64_t orphan_agents = 0;  ///< agents never seen with an operator
  std::uint64_t agents_with_several_operators = 0;
  std::uint64_t keys_with_several_agents = 0;
};

inline constexpr std::int64_t kBurstWindowSeconds = 60;

struct AgentRow {
  std::string id;
  std::uint64_t events = 0;
  std::uint64_t hit_events = 0;
  std::uint64_t operators = 0;
  std::uint64_t keys = 0;
  std::uint64_t ips = 0;
  std::int64_t first_ms = kernels::kNoTime;
  std::int64_t last_ms = kernels::kNoTime;
  /// The most events in kBurstWindowSeconds, and when that window starts.
  std::uint64_t busiest_window_events = 0;
  std::int64_t busiest_window_start_ms = kernels::kNoTime;
  std::uint64_t rules = 0;  ///< distinct detection rules its events matched
  std::uint64_t risk = 0;   ///< sum over those rules of events x level weight (rule_risk_weight)
  /// Events per pattern it matched (pattern index, events), most events first.
  std::vector<std::pair<std::uint32_t, std::uint64_t>> pattern_events{};
};

/// Risk per matched event by rule level: informational 0, low 1, medium 3,
/// high 6, critical 10 (no level: 1).
std::uint64_t rule_risk_weight(const std::string& level);

struct OperatorRow {
  std::string id;
  std::uint64_t agents = 0;  ///< fleet size: distinct agents
  std::uint64_t events = 0;
  std::uint64_t agents_with_hits = 0;  ///< of the fleet, agents with a pattern hit anywhere
};

/// An API key and the distinct agents that used it.
struct KeyRow {
  std::string id;
  std::uint64_t agents = 0;
  std::uint64_t events = 0;
};

struct PatternRow {
  std::string pattern;
  std::string scope;  ///< "line" or the field path
  std::uint64_t lines = 0;
  std::uint64_t events = 0;
};

/// An event a rule matched.
struct EvidenceRow {
  std::string file;
  std::uint64_t line = 0;    ///< 1-based
  std::uint64_t offset = 0;  ///< decoded byte offset of the line
};

struct RuleRow {
  rules::RuleInfo info;
  std::uint64_t events = 0;
  std::vector<EvidenceRow> evidence;  ///< the first matching events in input order
};

/// A group that a correlation rule's condition held for, in its earliest window.
struct CorrelationHit {
  std::vector<std::string> group;  ///< the group-by values
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;  ///< start + timespan
  /// Events, distinct values or distinct rules in that window; for the numeric
  /// types, the events with a number.
  std::uint64_t count = 0;
  double value = 0;  ///< the numeric types: the window's sum, average or percentile
};

struct CorrelationRow {
  CorrelationInfo correlation;
  std::vector<CorrelationHit> hits;  ///< by window start, then group
};

struct Summary {
  std::size_t top = 0;  ///< rows per list in the table (0: all); lists here are cut already
  std::string backend;
  std::string backend_description;
  std::string agent_field;
  std::string operator_field;
  std::string key_field;
  std::string ip_field;
  std::string time_field;
  MatcherRow matcher;
  Totals totals;
  Fleet fleet;
  std::vector<state::FileSummary> files;
  std::vector<PatternRow> patterns;            ///< in the order given
  std::vector<RuleRow> rules;                  ///< detection rules run, in load order
  std::vector<CorrelationRow> correlations;    ///< correlation rules run, in load order
  std::vector<RuleIssueRow> rule_issues;       ///< rules that did not run
  std::vector<AgentRow> top_agents_by_events;  ///< events desc, then id
  std::vector<AgentRow> top_agents_by_hits;    ///< hit events desc, then id; only agents with hits
  std::vector<AgentRow> top_agents_by_burst;   ///< busiest window desc, then id
  std::vector<AgentRow> top_agents_by_risk;    ///< risk desc, then id; only agents with risk
  /// Agents seen under more than one operator: operators desc, then id.
  std::vector<AgentRow> agents_with_several_operators;
  std::vector<OperatorRow> top_operators;  ///< agents desc, then events desc, then id
  std::vector<KeyRow> shared_keys;         ///< keys of several agents: agents desc, then id
};

/// `top` limits each top list (0: no limit).
Summary summarize(const state::ScanState& state, const ScanSetup& setup, std::string backend,
                  std::string backend_description, std::size_t top);

}  // namespace agentsweep::report
