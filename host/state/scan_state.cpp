/** @file
 * ScanState: merging batch results.
 */
#include "host/state/scan_state.hpp"

#include "kernels/hash.cuh"

namespace agentsweep::state {

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

  for (const engine::AgentTally& tally : batch.agents) {
    auto [it, inserted] = agents_.try_emplace(tally.key);
    AgentSummary& agent = it->second;
    if (inserted)
      agent.id = tally.id;
    else if (agent.id != tally.id)
      ++id_collisions_;
    agent.events += tally.events;
    agent.hit_events += tally.hit_events;
    agent.events_with_operator += tally.events_with_operator;
  }
  for (const engine::OperatorTally& tally : batch.operators) {
    auto [it, inserted] = operators_.try_emplace(tally.key);
    OperatorSummary& op = it->second;
    if (inserted)
      op.id = tally.id;
    else if (op.id != tally.id)
      ++id_collisions_;
    op.events += tally.events;
    if (tally.agent_key != kernels::kNoEntity) op.agents.insert(tally.agent_key);
  }
  for (const engine::PatternTally& tally : batch.patterns) {
    pattern_hits_[tally.pattern].lines += tally.lines;
    pattern_hits_[tally.pattern].events += tally.events;
  }
}

}  // namespace agentsweep::state
