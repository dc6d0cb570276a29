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

#include "host/engine/scan_plan.hpp"
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
  std::uint64_t hit_lines = 0;
  std::uint64_t agents = 0;
  std::uint64_t operators = 0;
  std::uint64_t orphan_agents = 0;  ///< agents never seen with an operator
  std::uint64_t id_collisions = 0;
};

struct AgentRow {
  std::string id;
  std::uint64_t events = 0;
  std::uint64_t hit_events = 0;
  std::uint64_t operators = 0;
};

struct OperatorRow {
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

/// What the pattern compiler built.
struct MatcherRow {
  std::size_t automata = 0;
  std::size_t aho_corasick = 0;  ///< fixed-string automata
  std::size_t regex_dfas = 0;
  std::size_t states = 0;
  std::size_t memory_bytes = 0;
};

struct Summary {
  std::string backend;
  std::string backend_description;
  std::string agent_field;
  std::string operator_field;
  MatcherRow matcher;
  Totals totals;
  std::vector<state::FileSummary> files;
  std::vector<PatternRow> patterns;            ///< in the order given
  std::vector<AgentRow> top_agents_by_events;  ///< events desc, then id
  std::vector<AgentRow> top_agents_by_hits;    ///< hit events desc, then id; only agents with hits
  std::vector<OperatorRow> top_operators;      ///< agents desc, then events desc, then id
};

/// `top` limits each top list (0: no limit).
Summary summarize(const state::ScanState& state, const engine::ScanPlan& plan, std::string backend,
                  std::string backend_description, std::size_t top);

}  // namespace agentsweep::report
