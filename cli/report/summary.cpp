/** @file
 * Building a Summary from the scan state.
 */
#include "cli/report/summary.hpp"

#include <algorithm>
#include <unordered_map>

namespace agentsweep::report {

namespace {

template <class Row, class Less>
std::vector<Row> top_rows(std::vector<Row> rows, std::size_t top, Less less) {
  const std::size_t keep = top == 0 ? rows.size() : std::min(top, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(keep), rows.end(),
                    less);
  rows.resize(keep);
  return rows;
}

Totals add_up(const state::ScanState& state) {
  Totals t;
  for (const state::FileSummary& f : state.files()) {
    ++t.files;
    t.files_with_errors += !f.complete();
    t.compressed_bytes += f.compressed_bytes;
    t.decoded_bytes += f.decoded_bytes;
    t.scanned_bytes += f.scanned_bytes;
    t.skipped_bytes += f.skipped_bytes;
    t.lines += f.lines;
    t.blank_lines += f.blank_lines;
    t.events += f.events;
    t.malformed_lines += f.malformed_lines;
    t.oversized_lines += f.oversized_lines;
    t.incomplete_lines += f.incomplete_lines;
  }
  t.events_without_agent = state.events_without_agent();
  t.events_without_operator = state.events_without_operator();
  t.hit_lines = state.hit_lines();
  t.agents = state.agents().size();
  t.operators = state.operators().size();
  t.id_collisions = state.id_collisions();
  for (const auto& [key, agent] : state.agents())
    t.orphan_agents += agent.events_with_operator == 0;
  return t;
}

}  // namespace

Summary summarize(const state::ScanState& state, const engine::ScanPlan& plan, std::string backend,
                  std::string backend_description, std::size_t top) {
  Summary s;
  s.backend = std::move(backend);
  s.backend_description = std::move(backend_description);
  s.agent_field = plan.fields.dotted()[static_cast<std::size_t>(plan.entities.agent)];
  s.operator_field = plan.fields.dotted()[static_cast<std::size_t>(plan.entities.op)];
  const engine::PatternSet& patterns = plan.patterns;
  s.matcher.automata = patterns.automata.size();
  for (const engine::Automaton& a : patterns.automata)
    ++(a.kind == engine::Automaton::Kind::kAhoCorasick ? s.matcher.aho_corasick
                                                       : s.matcher.regex_dfas);
  s.matcher.states = patterns.states();
  s.matcher.memory_bytes = patterns.memory_bytes();
  s.totals = add_up(state);
  s.files = state.files();
  for (std::size_t p = 0; p < patterns.patterns.size(); ++p) {
    const engine::PatternSpec& spec = patterns.patterns[p];
    const std::string scope = spec.field == engine::kWholeLine
                                  ? "line"
                                  : plan.fields.dotted()[static_cast<std::size_t>(spec.field)];
    s.patterns.push_back(
        {spec.text, scope, state.pattern_hits()[p].lines, state.pattern_hits()[p].events});
  }

  std::unordered_map<std::uint64_t, std::uint64_t> operators_per_agent;
  for (const auto& [key, op] : state.operators())
    for (const std::uint64_t agent : op.agents) ++operators_per_agent[agent];

  std::vector<AgentRow> agents;
  agents.reserve(state.agents().size());
  for (const auto& [key, agent] : state.agents()) {
    const auto found = operators_per_agent.find(key);
    agents.push_back({agent.id, agent.events, agent.hit_events,
                      found == operators_per_agent.end() ? 0 : found->second});
  }
  s.top_agents_by_events = top_rows(agents, top, [](const AgentRow& a, const AgentRow& b) {
    return a.events != b.events ? a.events > b.events : a.id < b.id;
  });
  std::erase_if(agents, [](const AgentRow& a) { return a.hit_events == 0; });
  s.top_agents_by_hits = top_rows(std::move(agents), top, [](const AgentRow& a, const AgentRow& b) {
    return a.hit_events != b.hit_events ? a.hit_events > b.hit_events : a.id < b.id;
  });

  std::vector<OperatorRow> operators;
  operators.reserve(state.operators().size());
  for (const auto& [key, op] : state.operators())
    operators.push_back({op.id, op.agents.size(), op.events});
  s.top_operators =
      top_rows(std::move(operators), top, [](const OperatorRow& a, const OperatorRow& b) {
        if (a.agents != b.agents) return a.agents > b.agents;
        return a.events != b.events ? a.events > b.events : a.id < b.id;
      });
  return s;
}

}  // namespace agentsweep::report
