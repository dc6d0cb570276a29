/** @file
 * Building a Summary from the scan state.
 */
#include "cli/report/summary.hpp"

#include <algorithm>
#include <iterator>
#include <numeric>
#include <unordered_map>

#include "cli/report/correlation_rows.hpp"
#include "host/state/time_windows.hpp"

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
  t.events_without_key = state.events_without_key();
  t.events_without_ip = state.events_without_ip();
  t.events_without_time = state.events_without_time();
  t.events_with_invalid_time = state.events_with_invalid_time();
  t.hit_lines = state.hit_lines();
  t.agents = state.agents().size();
  t.operators = state.operators().size();
  t.keys = state.keys().size();
  t.ips = state.ips().size();
  t.id_collisions = state.id_collisions();
  t.host_walks = state.host_walks();
  return t;
}

/// `values` sorted ascending; nearest rank.
std::uint64_t percentile(const std::vector<std::uint64_t>& values, std::uint64_t percent) {
  const std::uint64_t rank = (percent * values.size() + 99) / 100;  // ceil, 1-based
  return values[std::max<std::uint64_t>(rank, 1) - 1];
}

Distribution distribution(std::vector<std::uint64_t> values) {
  Distribution d;
  if (values.empty()) return d;
  std::sort(values.begin(), values.end());
  d.mean = static_cast<double>(std::accumulate(values.begin(), values.end(), std::uint64_t{0})) /
           static_cast<double>(values.size());
  d.p50 = percentile(values, 50);
  d.p99 = percentile(values, 99);
  d.max = values.back();
  return d;
}

/// For every agent, the number of entities of `entities` it was seen with.
std::unordered_map<std::uint64_t, std::uint64_t> entities_per_agent(const state::EntityMap& map) {
  std::unordered_map<std::uint64_t, std::uint64_t> counts;
  for (const auto& [key, entity] : map)
    for (const std::uint64_t agent : entity.agents) ++counts[agent];
  return counts;
}

std::uint64_t count_of(const std::unordered_map<std::uint64_t, std::uint64_t>& counts,
                       std::uint64_t agent) {
  const auto found = counts.find(agent);
  return found == counts.end() ? 0 : found->second;
}

/// Every agent's busiest window, from its per-second counts streamed in key order.
std::unordered_map<std::uint64_t, state::BusiestWindow> busiest_windows(
    const state::ScanState& state) {
  std::unordered_map<std::uint64_t, state::BusiestWindow> windows;
  windows.reserve(state.agents().size());
  state.each_agent_seconds([&](std::uint64_t agent, std::vector<state::SecondCount>& seconds) {
    windows[agent] = state::busiest_window(seconds, kBurstWindowSeconds);
  });
  return windows;
}

/// Every agent as a row.
std::vector<AgentRow> agent_rows(const state::ScanState& state, const RuleCatalog& rules) {
  const auto operators = entities_per_agent(state.operators());
  const auto keys = entities_per_agent(state.keys());
  const auto ips = entities_per_agent(state.ips());
  const auto windows = busiest_windows(state);
  std::vector<AgentRow> rows;
  rows.reserve(state.agents().size());
  for (const auto& [key, agent] : state.agents()) {
    AgentRow row{agent.id,
                 agent.events,
                 agent.hit_events,
                 count_of(operators, key),
                 count_of(keys, key),
                 count_of(ips, key),
                 agent.first_ms,
                 agent.last_ms};
    if (const auto busiest = windows.find(key);
        busiest != windows.end() && busiest->second.events > 0) {
      row.busiest_window_events = busiest->second.events;
      row.busiest_window_start_ms = busiest->second.start_second * 1000;
    }
    for (const auto& [rule, events] : agent.rule_events) {
      if (!rules.alerts[rule]) continue;  // counted for correlations only
      ++row.rules;
      row.risk += events * rule_risk_weight(rules.run[rule].level);
    }
    row.pattern_events = agent.pattern_events;
    std::sort(row.pattern_events.begin(), row.pattern_events.end(),
              [](const auto& a, const auto& b) {
                return a.second != b.second ? a.second > b.second : a.first < b.first;
              });
    rows.push_back(std::move(row));
  }
  return rows;
}

Fleet fleet_of(const state::ScanState& state, const std::vector<AgentRow>& agents) {
  Fleet f;
  std::vector<std::uint64_t> fleet_sizes;
  fleet_sizes.reserve(state.operators().size());
  for (const auto& [key, op] : state.operators()) fleet_sizes.push_back(op.agents.size());
  f.agents_per_operator = distribution(std::move(fleet_sizes));
  for (const AgentRow& a : agents) {
    f.orphan_agents += a.operators == 0;
    f.agents_with_several_operators += a.operators > 1;
  }
  for (const auto& [key, k] : state.keys()) f.keys_with_several_agents += k.agents.size() > 1;
  return f;
}

}  // namespace

std::uint64_t rule_risk_weight(const std::string& level) {
  if (level == "informational") return 0;
  if (level == "low") return 1;
  if (level == "medium") return 3;
  if (level == "high") return 6;
  if (level == "critical") return 10;
  return 1;
}

Summary summarize(const state::ScanState& state, const ScanSetup& setup, std::string backend,
                  std::string backend_description, std::size_t top) {
  Summary s;
  s.top = top;
  s.backend = std::move(backend);
  s.backend_description = std::move(backend_description);
  s.agent_field = setup.entities.agent;
  s.operator_field = setup.entities.op;
  s.key_field = setup.entities.key;
  s.ip_field = setup.entities.ip;
  s.time_field = setup.entities.time;
  s.matcher = setup.matcher;
  s.totals = add_up(state);
  s.files = state.files();
  for (std::size_t p = 0; p < setup.patterns.size(); ++p)
    s.patterns.push_back({setup.patterns[p].pattern, setup.patterns[p].scope,
                          state.pattern_hits()[p].lines, state.pattern_hits()[p].events});

  const RuleCatalog& rules = setup.rules;
  for (std::size_t r = 0; r < rules.run.size(); ++r) {
    if (!rules.alerts[r]) continue;  // counted for correlations only
    const state::RuleHits& hits = state.rule_hits()[r];
    RuleRow row{rules.run[r], hits.events, {}};
    for (const state::EvidenceLine& line : hits.evidence)
      row.evidence.push_back({state.files()[line.file].path, line.line_number, line.offset});
    s.rules.push_back(std::move(row));
  }
  s.rule_issues = rules.not_run;
  s.correlations = correlation_rows(state, rules);

  std::vector<AgentRow> agents = agent_rows(state, rules);
  s.fleet = fleet_of(state, agents);
  const auto by = [](auto field) {
    return [field](const AgentRow& a, const AgentRow& b) {
      return a.*field != b.*field ? a.*field > b.*field : a.id < b.id;
    };
  };
  s.top_agents_by_events = top_rows(agents, top, by(&AgentRow::events));
  s.top_agents_by_burst = top_rows(agents, top, by(&AgentRow::busiest_window_events));
  std::vector<AgentRow> risky;
  std::copy_if(agents.begin(), agents.end(), std::back_inserter(risky),
               [](const AgentRow& a) { return a.risk > 0; });
  s.top_agents_by_risk = top_rows(std::move(risky), top, by(&AgentRow::risk));
  std::vector<AgentRow> several;
  std::copy_if(agents.begin(), agents.end(), std::back_inserter(several),
               [](const AgentRow& a) { return a.operators > 1; });
  s.agents_with_several_operators = top_rows(std::move(several), top, by(&AgentRow::operators));
  std::erase_if(agents, [](const AgentRow& a) { return a.hit_events == 0; });
  s.top_agents_by_hits = top_rows(std::move(agents), top, by(&AgentRow::hit_events));

  std::vector<OperatorRow> operators;
  operators.reserve(state.operators().size());
  for (const auto& [key, op] : state.operators()) {
    std::uint64_t with_hits = 0;
    for (const std::uint64_t agent : op.agents) {
      const auto found = state.agents().find(agent);
      with_hits += found != state.agents().end() && found->second.hit_events > 0;
    }
    operators.push_back({op.id, op.agents.size(), op.events, with_hits});
  }
  s.top_operators =
      top_rows(std::move(operators), top, [](const OperatorRow& a, const OperatorRow& b) {
        if (a.agents != b.agents) return a.agents > b.agents;
        return a.events != b.events ? a.events > b.events : a.id < b.id;
      });

  std::vector<KeyRow> shared;
  for (const auto& [key, k] : state.keys())
    if (k.agents.size() > 1) shared.push_back({k.id, k.agents.size(), k.events});
  s.shared_keys = top_rows(std::move(shared), top, [](const KeyRow& a, const KeyRow& b) {
    return a.agents != b.agents ? a.agents > b.agents : a.id < b.id;
  });
  return s;
}

}  // namespace agentsweep::report
