/** @file
 * ScanState: merging batch results.
 */
#include "host/state/scan_state.hpp"

#include "kernels/hash.cuh"
#include "kernels/json_string.cuh"

namespace agentsweep::state {

void ScanState::check_id(bool inserted, std::string& stored, const char* bytes,
                         const engine::IdSpan& id) {
  const char* raw = bytes + id.offset;
  if (inserted)
    stored = kernels::decode_json_string(raw, id.length);
  else if (!kernels::json_string_equals(raw, id.length, id.escaped, stored.data(),
                                        static_cast<std::uint32_t>(stored.size())))
    ++id_collisions_;
}

void ScanState::merge_entities(EntityMap& into, const char* bytes,
                               const std::vector<engine::EntityAgentTally>& tallies) {
  for (const engine::EntityAgentTally& tally : tallies) {
    auto [it, inserted] = into.try_emplace(tally.key);
    EntitySummary& entity = it->second;
    check_id(inserted, entity.id, bytes, tally.id);
    entity.events += tally.events;
    if (tally.agent_key != kernels::kNoEntity) entity.agents.insert(tally.agent_key);
  }
}

std::uint32_t ScanState::add_file(std::string path) {
  files_.push_back({});
  files_.back().path = std::move(path);
  return static_cast<std::uint32_t>(files_.size() - 1);
}

void ScanState::add_batch(std::uint32_t file_id, const engine::BatchResult& batch) {
  FileSummary& file = files_[file_id];
  file.lines += batch.lines;
  file.blank_lines += batch.blank_lines;
  file.events += batch.events;
  file.malformed_lines += batch.malformed_lines;
  events_without_agent_ += batch.events_without_agent;
  events_without_operator_ += batch.events_without_operator;
  hit_lines_ += batch.hit_lines;
  id_collisions_ += batch.id_collisions;

  events_without_key_ += batch.events_without_key;
  events_without_ip_ += batch.events_without_ip;
  events_without_time_ += batch.events_without_time;
  events_with_invalid_time_ += batch.events_with_invalid_time;

  for (const engine::AgentTally& tally : batch.agents) {
    auto [it, inserted] = agents_.try_emplace(tally.key);
    AgentSummary& agent = it->second;
    check_id(inserted, agent.id, batch.bytes, tally.id);
    agent.events += tally.events;
    agent.hit_events += tally.hit_events;
    agent.events_with_operator += tally.events_with_operator;
    agent.first_ms = kernels::earlier_time(agent.first_ms, tally.first_ms);
    agent.last_ms = kernels::later_time(agent.last_ms, tally.last_ms);
  }
  for (const engine::AgentSecondTally& tally : batch.agent_seconds)
    agents_[tally.agent_key].seconds.push_back({tally.second, tally.events});
  merge_entities(operators_, batch.bytes, batch.operators);
  merge_entities(keys_, batch.bytes, batch.keys);
  merge_entities(ips_, batch.bytes, batch.ips);
  for (const engine::RuleTally& tally : batch.rules) rule_hits_[tally.rule].events += tally.events;
  // Files and their batches arrive in input order, so the first lines kept are the first ones.
  for (const engine::RuleEvidence& line : batch.evidence) {
    std::vector<EvidenceLine>& evidence = rule_hits_[line.rule].evidence;
    if (evidence.size() < evidence_per_rule_)
      evidence.push_back({file_id, line.line_number, line.offset});
  }
  for (const engine::PatternTally& tally : batch.patterns) {
    pattern_hits_[tally.pattern].lines += tally.lines;
    pattern_hits_[tally.pattern].events += tally.events;
  }
}

}  // namespace agentsweep::state
