/** @file
 * ScanState: merging batch results, and other states.
 */
#include "host/state/scan_state.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string_view>

#include "kernels/hash.cuh"
#include "kernels/json_string.cuh"
#include "kernels/rule_program.cuh"

namespace agentsweep::state {

namespace {

/// The share of the state's memory each store gets.
SpillOptions share_of(const SpillOptions& spill, std::size_t parts) {
  return {spill.memory_bytes / parts, spill.directory, spill.sort_threads};
}

}  // namespace

ScanState::ScanState(std::size_t pattern_count, std::size_t rule_count,
                     std::size_t evidence_per_rule, std::size_t correlation_count,
                     const SpillOptions& spill)
    : pattern_hits_(pattern_count),
      rule_hits_(rule_count),
      correlations_(correlation_count),
      seconds_(share_of(spill, correlation_count > 0 ? 2 : 1)),
      correlation_entries_(share_of(spill, 2)),
      evidence_per_rule_(evidence_per_rule) {}

static_assert(KeySet::kNoKey == kernels::kNoEntity, "agent sets take kNoEntity for a free slot");

namespace {

/// Known ids gathered before they are compared: bounds the memory check_ids takes.
constexpr std::size_t kMaxIdChecks = std::size_t{1} << 16;

/// Whether a raw JSON id decodes to `text`.
bool id_equals(const char* raw, std::uint32_t length, bool escaped, std::string_view text) {
  // Without an escape, the raw bytes are the decoded id (json_string.cuh).
  if (!escaped) return std::string_view(raw, length) == text;
  return kernels::json_string_equals(raw, length, escaped, text.data(),
                                     static_cast<std::uint32_t>(text.size()));
}

}  // namespace

void ScanState::check_id(IdChecks& checks, bool inserted, IdText& stored, const char* bytes,
                         const engine::IdSpan& id) {
  const char* raw = id.copied ? id.raw : bytes + id.offset;
  if (!inserted) {
    if (checks.at_once || id.copied) {
      if (!id_equals(raw, id.length, id.escaped, stored.view())) ++checks.collisions;
      return;
    }
    checks.pending.push_back({id.offset, id.length, id.escaped, stored.snapshot()});
    if (checks.pending.size() == kMaxIdChecks) check_ids(checks, bytes);
    return;
  }
  if (!id.escaped)
    stored = std::string_view(raw, id.length);  // the raw bytes are the decoded id
  else
    stored = kernels::decode_json_string(raw, id.length);
}

void ScanState::check_ids(IdChecks& checks, const char* bytes) {
  std::vector<IdCheck>& pending = checks.pending;
  if (pending.empty()) return;
  // One pass of a counting sort by 4 KiB page of the batch (coarser pages beyond 256 MiB).
  std::uint32_t last = 0;
  for (const IdCheck& c : pending) last = std::max(last, c.offset);
  unsigned shift = 12;
  while ((last >> shift) >= (1u << 16)) ++shift;
  std::vector<std::uint32_t> starts((last >> shift) + 2, 0);
  for (const IdCheck& c : pending) ++starts[(c.offset >> shift) + 1];
  for (std::size_t page = 1; page < starts.size(); ++page) starts[page] += starts[page - 1];
  std::vector<IdCheck>& by_place = checks.by_place;
  by_place.resize(pending.size());
  for (const IdCheck& c : pending) by_place[starts[c.offset >> shift]++] = c;
  for (std::size_t i = 0; i < by_place.size(); ++i) {
    if (i + kAhead < by_place.size()) __builtin_prefetch(bytes + by_place[i + kAhead].offset);
    const IdCheck& c = by_place[i];
    if (!id_equals(bytes + c.offset, c.length, c.escaped, c.stored.view())) ++checks.collisions;
  }
  pending.clear();
}

namespace {

/// Adds `count` to `id`'s entry of a short (id, count) list kept in id order, so that
/// the list, and a saved state, is the same whichever batch brought an id first.
void add_count(std::vector<std::pair<std::uint32_t, std::uint64_t>>& counts, std::uint32_t id,
               std::uint64_t count) {
  auto at = counts.begin();
  while (at != counts.end() && at->first < id) ++at;
  if (at != counts.end() && at->first == id)
    at->second += count;
  else
    counts.emplace(at, id, count);
}

}  // namespace

void AgentSummary::add_rule_events(std::uint32_t rule, std::uint64_t count) {
  add_count(rule_events, rule, count);
}

void AgentSummary::add_pattern_events(std::uint32_t pattern, std::uint64_t count) {
  add_count(pattern_events, pattern, count);
}

namespace {

/// A group-by value as a label holds it: the decoded scalar, or "null".
std::string label_value(const char* bytes, const kernels::FieldValue& v) {
  return kernels::has_scalar(v) ? kernels::decode_json_string(bytes + v.offset, v.length)
                                : std::string("null");
}

/// Whether `label` holds the values `values[0, count)`, compared where they
/// lie in the batch (most groups are known: no copy of their values is made).
bool label_equals(const std::vector<std::string>& label, const char* bytes,
                  const kernels::FieldValue* values, std::uint32_t count) {
  if (label.size() != count) return false;
  for (std::uint32_t f = 0; f < count; ++f) {
    const kernels::FieldValue& v = values[f];
    const bool same = kernels::has_scalar(v)
                          ? id_equals(bytes + v.offset, v.length, v.has_escape, label[f])
                          : label[f] == "null";
    if (!same) return false;
  }
  return true;
}

}  // namespace

void ScanState::add_correlations(const engine::BatchResult& batch) {
  for (std::size_t i = 0; i < batch.correlations.size(); ++i) {
    const engine::CorrelationTally& t = batch.correlations[i];
    correlation_entries_.add({t.correlation, t.group, t.time, t.value, t.events});
    // A batch's rows of a group are side by side, its label the same: the group
    // is looked up, and its label stored if new or else compared, once per batch.
    const engine::CorrelationTally* before = i > 0 ? &batch.correlations[i - 1] : nullptr;
    if (before != nullptr && before->correlation == t.correlation && before->group == t.group &&
        before->label == t.label)
      continue;
    auto [group, inserted] = correlations_[t.correlation].try_emplace(t.group);
    const kernels::FieldValue* values = batch.group_values.data() + t.label;
    if (inserted) {
      group.label.reserve(t.label_fields);
      for (std::uint32_t f = 0; f < t.label_fields; ++f)
        group.label.push_back(label_value(batch.bytes, values[f]));
    } else if (!label_equals(group.label, batch.bytes, values, t.label_fields)) {
      ++id_collisions_;
    }
  }
}

void ScanState::add_row(AgentSummary& agent, bool added, IdChecks& checks, const char* bytes,
                        const engine::AgentTally& row) {
  check_id(checks, added, agent.id, bytes, row.id);
  agent.events += row.events;
  agent.hit_events += row.hit_events;
  agent.events_with_operator += row.events_with_operator;
  agent.first_ms = kernels::earlier_time(agent.first_ms, row.first_ms);
  agent.last_ms = kernels::later_time(agent.last_ms, row.last_ms);
}

void ScanState::add_row(EntitySummary& entity, bool added, IdChecks& checks, const char* bytes,
                        const engine::EntityAgentTally& row) {
  check_id(checks, added, entity.id, bytes, row.id);
  entity.events += row.events;
  if (row.agent_key != kernels::kNoEntity) entity.agents.insert(row.agent_key);
}

void ScanState::merge_entities(EntityMap& into, const char* bytes,
                               const std::vector<engine::EntityAgentTally>& tallies,
                               IdChecks& checks) {
  for (std::size_t i = 0; i < tallies.size(); ++i) {
    prefetch_ahead(into, tallies, i);
    auto [entity, inserted] = into.try_emplace(tallies[i].key);
    add_row(entity, inserted, checks, bytes, tallies[i]);
  }
  check_ids(checks, bytes);
}

std::uint32_t ScanState::add_file(std::string path) {
  files_.push_back({});
  files_.back().path = std::move(path);
  return static_cast<std::uint32_t>(files_.size() - 1);
}

void ScanState::set_merge_threads(std::size_t helpers, std::size_t shards) {
  merge_parts_ = std::make_unique<PartRunner>(helpers);
  shards_ = std::max<std::size_t>(shards, 1);
  rest_beside_ = shards_ > 1 ? std::make_unique<PartRunner>(1) : nullptr;
  id_checks_.resize(4 * shards_);
}

namespace {

/// Runs `merge`, adding its wall seconds to `seconds`.
template <class Merge>
void timed(double& seconds, const Merge& merge) {
  const auto start = std::chrono::steady_clock::now();
  merge();
  seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void ScanState::add_batch(std::uint32_t file_id, const engine::BatchResult& batch) {
  for (IdChecks& checks : id_checks_) checks.at_once = batch.rows == kernels::BatchRows::kPerEvent;
  if (shards_ > 1)
    merge_in_shards(file_id, batch);
  else
    merge_in_parts(file_id, batch);
  for (IdChecks& checks : id_checks_) {
    id_collisions_ += checks.collisions;
    checks.collisions = 0;
  }
}

void ScanState::merge_in_parts(std::uint32_t file_id, const engine::BatchResult& batch) {
  // Each part writes only its own map, IdChecks and seconds (merge_rest: the other members).
  MergePartSeconds& s = part_seconds_;
  const std::function<void()> parts[] = {
      [&] { timed(s.agents, [&] { merge_agents(batch, id_checks_[0]); }); },
      [&] {
        timed(s.keys, [&] { merge_entities(keys_, batch.bytes, batch.keys, id_checks_[2]); });
      },
      [&] {
        timed(s.addresses, [&] { merge_entities(ips_, batch.bytes, batch.ips, id_checks_[3]); });
      },
      [&] {
        timed(s.operators,
              [&] { merge_entities(operators_, batch.bytes, batch.operators, id_checks_[1]); });
      },
      [&] { timed(s.rest, [&] { merge_rest(file_id, batch); }); },
  };
  merge_parts_->run(parts);
}

void ScanState::merge_in_shards(std::uint32_t file_id, const engine::BatchResult& batch) {
  // Everything no map holds runs beside the maps' rounds on a thread of its own: as a part
  // of their first round, it held back that round's end.
  const std::function<void()> sides[] = {
      [&] { merge_maps_in_shards(batch); },
      [&] { timed(part_seconds_.rest, [&] { merge_rest(file_id, batch); }); }};
  rest_beside_->run(sides);
}

void ScanState::merge_maps_in_shards(const engine::BatchResult& batch) {
  const std::size_t k = shards_;
  // The maps in the order of id_checks_ and places_: `act(map, rows)` on map m.
  const auto on_map = [&](std::size_t m, const auto& act) {
    switch (m) {
      case 0:
        return act(agents_, batch.agents);
      case 1:
        return act(operators_, batch.operators);
      case 2:
        return act(keys_, batch.keys);
      default:
        return act(ips_, batch.ips);
    }
  };
  double* const map_seconds[] = {&part_seconds_.agents, &part_seconds_.operators,
                                 &part_seconds_.keys, &part_seconds_.addresses};
  // A round's parts, each timed into its own slot, then added to its map's seconds.
  std::vector<std::pair<double*, std::function<void()>>> round;
  const auto run_round = [&] {
    std::vector<double> seconds(round.size(), 0);
    std::vector<std::function<void()>> parts;
    for (std::size_t p = 0; p < round.size(); ++p)
      parts.emplace_back([&, p] { timed(seconds[p], round[p].second); });
    merge_parts_->run(parts);
    for (std::size_t p = 0; p < round.size(); ++p) *round[p].first += seconds[p];
    round.clear();
  };

  // 1. Each map's rows looked up in k ranges.
  for (std::size_t m = 0; m < 4; ++m) {
    const std::size_t rows = on_map(m, [](auto&, const auto& r) { return r.size(); });
    places_[m].entry.resize(rows);
    places_[m].added.resize(rows);
    for (std::size_t t = 0; t < k; ++t)
      round.emplace_back(map_seconds[m], [&, m, first = rows * t / k, end = rows * (t + 1) / k] {
        on_map(m, [&](auto& map, const auto& r) { find_rows(map, r, places_[m], first, end); });
      });
  }
  run_round();
  // 2. New keys added in row order, one thread per map.
  for (std::size_t m = 0; m < 4; ++m)
    round.emplace_back(map_seconds[m], [&, m] {
      on_map(m, [&](auto& map, const auto& r) { add_new_rows(map, r, places_[m]); });
      if (m == 0) merge_agent_matches(batch);
    });
  run_round();
  // 3. Rows applied to their entries, the entries split k ways by number.
  for (std::size_t m = 0; m < 4; ++m)
    for (std::size_t t = 0; t < k; ++t)
      round.emplace_back(map_seconds[m], [&, m, t] {
        IdChecks& checks = id_checks_[m * k + t];
        on_map(m, [&](auto& map, const auto& r) {
          update_rows(map, r, places_[m], t, k, [&](auto& value, const auto& row, bool added) {
            add_row(value, added, checks, batch.bytes, row);
          });
        });
        check_ids(checks, batch.bytes);
      });
  run_round();
}

void ScanState::merge_agents(const engine::BatchResult& batch, IdChecks& checks) {
  for (std::size_t i = 0; i < batch.agents.size(); ++i) {
    prefetch_ahead(agents_, batch.agents, i);
    auto [agent, inserted] = agents_.try_emplace(batch.agents[i].key);
    add_row(agent, inserted, checks, batch.bytes, batch.agents[i]);
  }
  merge_agent_matches(batch);
  check_ids(checks, batch.bytes);
}

void ScanState::merge_agent_matches(const engine::BatchResult& batch) {
  // Per (agent, rule or pattern) tallies come sorted by agent: each agent is looked up once.
  const auto add_matches = [&](const std::vector<engine::AgentMatchTally>& tallies, auto add) {
    AgentSummary* agent = nullptr;
    std::uint64_t key = kernels::kNoEntity;
    for (const engine::AgentMatchTally& tally : tallies) {
      if (agent == nullptr || tally.agent_key != key) {
        key = tally.agent_key;
        agent = &agents_[key];  // entries never move (key_map.hpp)
      }
      (agent->*add)(tally.match, tally.events);
    }
  };
  add_matches(batch.agent_rules, &AgentSummary::add_rule_events);
  add_matches(batch.agent_patterns, &AgentSummary::add_pattern_events);
}

void ScanState::merge_rest(std::uint32_t file_id, const engine::BatchResult& batch) {
  FileSummary& file = files_[file_id];
  file.lines += batch.lines;
  file.blank_lines += batch.blank_lines;
  file.events += batch.events;
  file.malformed_lines += batch.malformed_lines;
  events_without_agent_ += batch.events_without_agent;
  events_without_operator_ += batch.events_without_operator;
  hit_lines_ += batch.hit_lines;
  id_collisions_ += batch.id_collisions;
  host_walks_ += batch.host_walks;

  events_without_key_ += batch.events_without_key;
  events_without_ip_ += batch.events_without_ip;
  events_without_time_ += batch.events_without_time;
  events_with_invalid_time_ += batch.events_with_invalid_time;

  for (const engine::AgentSecondTally& tally : batch.agent_seconds)
    add_seconds(tally.agent_key, tally.second, tally.events);
  for (const engine::RuleTally& tally : batch.rules) rule_hits_[tally.rule].events += tally.events;
  // Files and their batches arrive in input order, so the first lines kept are the first ones.
  for (const engine::RuleEvidence& line : batch.evidence) {
    std::vector<EvidenceLine>& evidence = rule_hits_[line.rule].evidence;
    if (evidence.size() < evidence_per_rule_)
      evidence.push_back({file_id, line.line_number, line.offset});
  }
  add_correlations(batch);
  for (const engine::PatternTally& tally : batch.patterns) {
    pattern_hits_[tally.pattern].lines += tally.lines;
    pattern_hits_[tally.pattern].events += tally.events;
  }
}

namespace {

/// Adds an id seen elsewhere: a known key with another id is a collision.
bool same_id(bool inserted, IdText& stored, const IdText& id) {
  if (inserted) stored = id;
  return inserted || stored == id;
}

}  // namespace

void ScanState::merge(const ScanState& other) {
  if (other.correlations_.size() != correlations_.size() ||
      other.pattern_hits_.size() != pattern_hits_.size() ||
      other.rule_hits_.size() != rule_hits_.size())
    throw std::invalid_argument("the states count different patterns, rules or correlations");
  const auto file_offset = static_cast<std::uint32_t>(files_.size());
  files_.insert(files_.end(), other.files_.begin(), other.files_.end());
  for (const auto& [key, a] : other.agents_) {
    auto [agent, inserted] = agents_.try_emplace(key);
    if (!same_id(inserted, agent.id, a.id)) ++id_collisions_;
    agent.events += a.events;
    agent.hit_events += a.hit_events;
    agent.events_with_operator += a.events_with_operator;
    agent.first_ms = kernels::earlier_time(agent.first_ms, a.first_ms);
    agent.last_ms = kernels::later_time(agent.last_ms, a.last_ms);
    for (const auto& [rule, events] : a.rule_events) agent.add_rule_events(rule, events);
    for (const auto& [pattern, events] : a.pattern_events)
      agent.add_pattern_events(pattern, events);
  }
  other.seconds_.for_each([this](const AgentSecond& r) { seconds_.add(r); });
  const auto merge_map = [this](EntityMap& into, const EntityMap& from) {
    for (const auto& [key, e] : from) {
      auto [entity, inserted] = into.try_emplace(key);
      if (!same_id(inserted, entity.id, e.id)) ++id_collisions_;
      entity.events += e.events;
      entity.agents.insert_all(e.agents);
    }
  };
  merge_map(operators_, other.operators_);
  merge_map(keys_, other.keys_);
  merge_map(ips_, other.ips_);
  for (std::size_t p = 0; p < pattern_hits_.size(); ++p) {
    pattern_hits_[p].lines += other.pattern_hits_[p].lines;
    pattern_hits_[p].events += other.pattern_hits_[p].events;
  }
  for (std::size_t c = 0; c < correlations_.size(); ++c)
    for (const auto& [key, g] : other.correlations_[c]) {
      auto [group, inserted] = correlations_[c].try_emplace(key);
      if (inserted)
        group.label = g.label;
      else if (group.label != g.label)
        ++id_collisions_;
    }
  other.correlation_entries_.for_each(
      [this](const CorrelationRecord& r) { correlation_entries_.add(r); });
  evidence_per_rule_ = std::max(evidence_per_rule_, other.evidence_per_rule_);
  for (std::size_t r = 0; r < rule_hits_.size(); ++r) {
    rule_hits_[r].events += other.rule_hits_[r].events;
    for (EvidenceLine line : other.rule_hits_[r].evidence) {
      if (rule_hits_[r].evidence.size() >= evidence_per_rule_) break;
      line.file += file_offset;
      rule_hits_[r].evidence.push_back(line);
    }
  }
  events_without_agent_ += other.events_without_agent_;
  events_without_operator_ += other.events_without_operator_;
  events_without_key_ += other.events_without_key_;
  events_without_ip_ += other.events_without_ip_;
  events_without_time_ += other.events_without_time_;
  events_with_invalid_time_ += other.events_with_invalid_time_;
  hit_lines_ += other.hit_lines_;
  id_collisions_ += other.id_collisions_;
  host_walks_ += other.host_walks_;
}

void ScanState::add_seconds(std::uint64_t agent, std::int64_t second, std::uint64_t events) {
  // Timestamps are years 0-9999 (kernels/timestamp.cuh): far inside the records' range.
  if (!AgentSecond::holds_second(second))
    throw std::out_of_range("per-second count at second " + std::to_string(second) +
                            ", outside the years a timestamp can name");
  for (; events > AgentSecond::kMaxEvents; events -= AgentSecond::kMaxEvents)
    seconds_.add({agent, second, AgentSecond::kMaxEvents});
  if (events > 0) seconds_.add({agent, second, events});
}

void ScanState::each_agent_seconds(const SecondsVisit& visit) const {
  std::vector<SecondCount> seconds;
  std::uint64_t agent = 0;
  seconds_.for_each([&](const AgentSecond& r) {
    if (!seconds.empty() && r.agent != agent) {
      visit(agent, seconds);
      seconds.clear();
    }
    agent = r.agent;
    if (!seconds.empty() && seconds.back().second == r.second())
      seconds.back().events += r.events();  // a count too large for one record
    else
      seconds.push_back({r.second(), r.events()});
  });
  if (!seconds.empty()) visit(agent, seconds);
}

void ScanState::each_correlation_group(const EntriesVisit& visit) const {
  std::vector<CorrelationGroup::Entry> entries;
  std::uint64_t correlation = 0;
  std::uint64_t group = 0;
  correlation_entries_.for_each([&](const CorrelationRecord& r) {
    if (!entries.empty() && (r.correlation != correlation || r.group != group)) {
      visit(static_cast<std::size_t>(correlation), group, entries);
      entries.clear();
    }
    correlation = r.correlation;
    group = r.group;
    entries.push_back({r.value, r.time, r.events});
  });
  if (!entries.empty()) visit(static_cast<std::size_t>(correlation), group, entries);
}

SpillStats ScanState::spill_stats() const {
  SpillStats stats = seconds_.stats();
  stats += correlation_entries_.stats();
  return stats;
}

}  // namespace agentsweep::state
