/** @file
 * Building a Summary from the scan state.
 */
#include "cli/report/summary.hpp"

#include <algorithm>
#include <future>
#include <numeric>
#include <string_view>
#include <system_error>

#include "cli/report/correlation_rows.hpp"
#include "host/state/sharded_rows.hpp"
#include "host/state/time_windows.hpp"

namespace agentsweep::report {

namespace {

/// Whether sort_first sorts the `keep` first of `size` elements as a whole
/// (selected, then sorted) rather than with a heap.
bool sorts_whole(std::size_t keep, std::size_t size) {
  return keep * 8 >= size;
}

/// Orders the first `keep` elements of `v` by `less`, as partial_sort does.
/// partial_sort is a heap sort, several times slower than sort on millions of
/// rows (--top 0 with 1.5 M agents): a large share is selected, then sorted.
template <class T, class Less>
void sort_first(std::vector<T>& v, std::size_t keep, Less less) {
  const auto middle = v.begin() + static_cast<std::ptrdiff_t>(keep);
  if (!sorts_whole(keep, v.size())) {
    std::partial_sort(v.begin(), middle, v.end(), less);
    return;
  }
  if (keep < v.size()) std::nth_element(v.begin(), middle, v.end(), less);
  std::sort(v.begin(), middle, less);
}

/// Starts `work` on a thread of its own; with none to be had, get() runs it.
template <class Work>
auto side_by_side(Work work) -> std::future<decltype(work())> {
  try {
    return std::async(std::launch::async, std::move(work));
  } catch (const std::system_error&) {
    return std::async(std::launch::deferred, std::move(work));
  }
}

template <class Row, class Less>
std::vector<Row> top_rows(std::vector<Row> rows, std::size_t top, Less less) {
  const std::size_t keep = top == 0 ? rows.size() : std::min(top, rows.size());
  sort_first(rows, keep, less);
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

/// What the report shows of every agent beside its AgentSummary, by its entry
/// number in state.agents(): flat arrays, filled in one pass each.
struct AgentFigures {
  std::vector<std::uint64_t> operators;  ///< distinct operators seen with it
  std::vector<std::uint64_t> keys;
  std::vector<std::uint64_t> ips;
  std::vector<state::BusiestWindow> windows;  ///< events 0: no timed events
  std::vector<std::uint64_t> rules;           ///< distinct alerting rules it matched
  std::vector<std::uint64_t> risk;
};

/**
 * Looks agents up a chunk at a time, each one's place and entry prefetched a
 * few keys ahead (as the state's merge does): the agents' map holds millions,
 * and one lookup at a time waits for memory at each (0.3 s for 1.5 M agents).
 * add(key, tag) collects; `found(tag, entry number)` runs for each key the map
 * holds, when a chunk is full and at flush().
 */
template <class Tag, class Found>
class AgentLookups {
 public:
  AgentLookups(const state::AgentMap& agents, Found found)
      : agents_(agents), found_(std::move(found)) {
    pending_.reserve(kChunk);
  }

  void add(std::uint64_t key, Tag tag) {
    pending_.push_back({key, std::move(tag)});
    if (pending_.size() == kChunk) flush();
  }

  void flush() {
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      state::prefetch_ahead(agents_, pending_, i);
      if (const std::size_t index = agents_.index_of(pending_[i].key);
          index != state::AgentMap::kAbsent)
        found_(pending_[i].tag, index);
    }
    pending_.clear();
  }

 private:
  struct Pending {
    std::uint64_t key;
    Tag tag;
  };
  static constexpr std::size_t kChunk = 4096;
  const state::AgentMap& agents_;
  Found found_;
  std::vector<Pending> pending_;
};

/// For every agent, the number of entities of `map` it was seen with.
std::vector<std::uint64_t> entities_per_agent(const state::EntityMap& map,
                                              const state::AgentMap& agents) {
  std::vector<std::uint64_t> counts(agents.size(), 0);
  const auto count = [&](std::uint64_t entities, std::size_t index) { counts[index] += entities; };
  AgentLookups<std::uint64_t, decltype(count)> lookups(agents, count);
  for (const auto& [key, entity] : map)
    for (const std::uint64_t agent : entity.agents) lookups.add(agent, 1);
  lookups.flush();
  return counts;
}

/// Every agent's busiest window, by entry number, from its per-second counts,
/// which stream in key order.
std::vector<state::BusiestWindow> busiest_windows(const state::ScanState& state) {
  std::vector<state::BusiestWindow> windows(state.agents().size());
  const auto place = [&](const state::BusiestWindow& window, std::size_t index) {
    windows[index] = window;
  };
  AgentLookups<state::BusiestWindow, decltype(place)> lookups(state.agents(), place);
  state.each_agent_seconds([&](std::uint64_t agent, std::vector<state::SecondCount>& seconds) {
    lookups.add(agent, state::busiest_window(seconds, kBurstWindowSeconds));
  });
  lookups.flush();
  return windows;
}

/// A row per operator, with how many of its agents had a pattern hit.
std::vector<OperatorRow> operator_rows(const state::ScanState& state) {
  const state::AgentMap& agents = state.agents();
  std::vector<OperatorRow> rows;
  rows.reserve(state.operators().size());
  const auto count_hits = [&](std::size_t row, std::size_t index) {
    rows[row].agents_with_hits += agents.entry(index).second.hit_events > 0;
  };
  AgentLookups<std::size_t, decltype(count_hits)> lookups(agents, count_hits);
  for (const auto& [key, op] : state.operators()) {
    rows.push_back({op.id.str(), op.agents.size(), op.events, 0});
    for (const std::uint64_t agent : op.agents) lookups.add(agent, rows.size() - 1);
  }
  lookups.flush();
  return rows;
}

AgentFigures agent_figures(const state::ScanState& state, const RuleCatalog& rules) {
  const state::AgentMap& agents = state.agents();
  // The windows sort and stream the per-second counts, the longest of the
  // figures: worked out on a thread of their own.
  auto windows = side_by_side([&] { return busiest_windows(state); });
  AgentFigures f;
  f.operators = entities_per_agent(state.operators(), agents);
  f.keys = entities_per_agent(state.keys(), agents);
  f.ips = entities_per_agent(state.ips(), agents);
  f.rules.assign(agents.size(), 0);
  f.risk.assign(agents.size(), 0);
  for (std::size_t index = 0; index < agents.size(); ++index)
    for (const auto& [rule, events] : agents.entry(index).second.rule_events) {
      if (!rules.alerts[rule]) continue;  // counted for correlations only
      ++f.rules[index];
      f.risk[index] += events * rule_risk_weight(rules.run[rule].level);
    }
  f.windows = windows.get();
  return f;
}

/// The row of agent `index`.
AgentRow agent_row(const state::AgentMap& agents, const AgentFigures& f, std::size_t index) {
  const state::AgentSummary& agent = agents.entry(index).second;
  AgentRow row{agent.id.str(), agent.events, agent.hit_events, f.operators[index],
               f.keys[index],  f.ips[index], agent.first_ms,   agent.last_ms};
  if (f.windows[index].events > 0) {
    row.busiest_window_events = f.windows[index].events;
    row.busiest_window_start_ms = f.windows[index].start_second * 1000;
  }
  row.rules = f.rules[index];
  row.risk = f.risk[index];
  row.pattern_events = agent.pattern_events;
  std::sort(row.pattern_events.begin(), row.pattern_events.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return row;
}

/// Starts fetching what agent_row reads of agent `index`: its entry and its
/// figures, each in an array of its own, where a list in count order reads
/// them in no order memory helps with.
void prefetch_row(const state::AgentMap& agents, const AgentFigures& f, std::size_t index) {
  agents.prefetch_index(index);
  __builtin_prefetch(&f.operators[index]);
  __builtin_prefetch(&f.keys[index]);
  __builtin_prefetch(&f.ips[index]);
  __builtin_prefetch(&f.windows[index]);
  __builtin_prefetch(&f.rules[index]);
  __builtin_prefetch(&f.risk[index]);
}

/// An id's first 16 bytes as two big-endian words, zero-padded: where two ids'
/// prefixes differ, the words order them as the ids order (a byte beyond an id's
/// end reads 0, the least byte); only equal words need the ids compared.
struct IdPrefix {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  std::uint32_t index = 0;
};

IdPrefix id_prefix(std::string_view id, std::uint32_t index) {
  IdPrefix p;
  p.index = index;
  for (std::size_t i = 0; i < 16 && i < id.size(); ++i) {
    const std::uint64_t byte = static_cast<unsigned char>(id[i]);
    (i < 8 ? p.high : p.low) |= byte << (56 - 8 * (i % 8));
  }
  return p;
}

/// Each agent's place among all agents ordered by id, by entry number: lists
/// that sort most agents (--top 0) break ties on it instead of reading and
/// comparing two ids at every tie. Sorted on the ids' first 16 bytes, which
/// hold the whole of most ids: comparing the ids themselves, a sort of 1.5 M
/// agents missed the cache at every compare.
std::vector<std::uint32_t> id_ranks(const state::AgentMap& agents) {
  std::vector<IdPrefix> by_id(agents.size());
  for (std::size_t i = 0; i < by_id.size(); ++i)
    by_id[i] = id_prefix(agents.entry(i).second.id.view(), static_cast<std::uint32_t>(i));
  std::sort(by_id.begin(), by_id.end(), [&](const IdPrefix& a, const IdPrefix& b) {
    if (a.high != b.high) return a.high < b.high;
    if (a.low != b.low) return a.low < b.low;
    return agents.entry(a.index).second.id < agents.entry(b.index).second.id;
  });
  std::vector<std::uint32_t> ranks(agents.size());
  for (std::size_t i = 0; i < by_id.size(); ++i)
    ranks[by_id[i].index] = static_cast<std::uint32_t>(i);
  return ranks;
}

/// Rows of the agents for which `count` (of an entry number) is at least
/// `least`: `count` descending, then id (`ranks` from id_ranks, or empty to
/// compare the ids themselves); the first `top` (0: all). Only the rows shown
/// are built.
template <class Count>
std::vector<AgentRow> top_agents(const state::AgentMap& agents, const AgentFigures& f,
                                 const std::vector<std::uint32_t>& ranks, std::size_t top,
                                 std::uint64_t least, Count count) {
  struct Candidate {
    std::uint64_t count;
    std::uint32_t rank;  ///< 0 without ranks
    std::uint32_t index;
  };
  std::vector<Candidate> chosen;
  for (std::size_t index = 0; index < agents.size(); ++index)
    if (const std::uint64_t c = count(index); c >= least)
      chosen.push_back({c, ranks.empty() ? 0u : ranks[index], static_cast<std::uint32_t>(index)});
  const std::size_t keep = top == 0 ? chosen.size() : std::min(top, chosen.size());
  sort_first(chosen, keep, [&](const Candidate& a, const Candidate& b) {
    if (a.count != b.count) return a.count > b.count;
    if (!ranks.empty()) return a.rank < b.rank;
    return agents.entry(a.index).second.id < agents.entry(b.index).second.id;
  });
  std::vector<AgentRow> rows;
  rows.reserve(keep);
  for (std::size_t i = 0; i < keep; ++i) {
    if (i + state::kAhead < keep) prefetch_row(agents, f, chosen[i + state::kAhead].index);
    rows.push_back(agent_row(agents, f, chosen[i].index));
  }
  return rows;
}

Fleet fleet_of(const state::ScanState& state, const AgentFigures& agents) {
  Fleet f;
  std::vector<std::uint64_t> fleet_sizes;
  fleet_sizes.reserve(state.operators().size());
  for (const auto& [key, op] : state.operators()) fleet_sizes.push_back(op.agents.size());
  f.agents_per_operator = distribution(std::move(fleet_sizes));
  for (const std::uint64_t operators : agents.operators) {
    f.orphan_agents += operators == 0;
    f.agents_with_several_operators += operators > 1;
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

  // The correlations' windows, the agents' figures and the operators' rows
  // read separate parts of the state: worked out side by side.
  auto correlations = side_by_side([&] { return correlation_rows(state, rules); });
  auto agent_figures_done = side_by_side([&] { return agent_figures(state, rules); });
  s.top_operators =
      top_rows(operator_rows(state), top, [](const OperatorRow& a, const OperatorRow& b) {
        if (a.agents != b.agents) return a.agents > b.agents;
        return a.events != b.events ? a.events > b.events : a.id < b.id;
      });

  std::vector<KeyRow> shared;
  for (const auto& [key, k] : state.keys())
    if (k.agents.size() > 1) shared.push_back({k.id.str(), k.agents.size(), k.events});
  s.shared_keys = top_rows(std::move(shared), top, [](const KeyRow& a, const KeyRow& b) {
    return a.agents != b.agents ? a.agents > b.agents : a.id < b.id;
  });

  const state::AgentMap& agents = state.agents();
  const AgentFigures figures = agent_figures_done.get();
  s.correlations = correlations.get();
  s.fleet = fleet_of(state, figures);
  // Ids ranked once where a list of every agent would be sorted whole.
  const std::vector<std::uint32_t> ranks =
      top == 0 || sorts_whole(top, agents.size()) ? id_ranks(agents) : std::vector<std::uint32_t>{};
  const auto rows_by = [&](std::uint64_t least, auto count) {
    return top_agents(agents, figures, ranks, top, least, count);
  };
  s.top_agents_by_events = rows_by(0, [&](std::size_t i) { return agents.entry(i).second.events; });
  s.top_agents_by_burst = rows_by(0, [&](std::size_t i) { return figures.windows[i].events; });
  s.top_agents_by_risk = rows_by(1, [&](std::size_t i) { return figures.risk[i]; });
  s.agents_with_several_operators = rows_by(2, [&](std::size_t i) { return figures.operators[i]; });
  s.top_agents_by_hits =
      rows_by(1, [&](std::size_t i) { return agents.entry(i).second.hit_events; });
  return s;
}

}  // namespace agentsweep::report
