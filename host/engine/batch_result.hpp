/** @file
 * What a backend reports for one batch: exact integer tallies that merge by
 * addition whatever the batch order, thread count or backend.
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/batch_rows.hpp"
#include "kernels/json_scan.cuh"
#include "kernels/scan_line.cuh"
#include "kernels/timestamp.cuh"

namespace agentsweep::engine {

/// Where an id's raw JSON text (string contents or scalar) lies in the batch,
/// and, for a short id of a row per event, a copy of it: the backend copies it
/// while the line is in cache, so the state checks the id without reading the
/// batch again.
struct IdSpan {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  bool escaped = false;
  bool copied = false;                   ///< `raw` holds the `length` bytes
  char raw[kernels::kIdCopyBytes] = {};  ///< when copied
};

struct AgentTally {
  std::uint64_t key = 0;
  IdSpan id;  ///< the agent field's value
  std::uint64_t events = 0;
  std::uint64_t hit_events = 0;
  std::uint64_t events_with_operator = 0;
  std::int64_t first_ms = kernels::kNoTime;  ///< earliest valid timestamp
  std::int64_t last_ms = kernels::kNoTime;
};

/// Events of one operator, API key or source address with one agent
/// (agent_key is kNoEntity when the events have no agent).
struct EntityAgentTally {
  std::uint64_t key = 0;
  std::uint64_t agent_key = 0;
  IdSpan id;  ///< the operator's, key's or address's value
  std::uint64_t events = 0;
};

/// Events of one agent in one whole second: what time windows are counted from.
struct AgentSecondTally {
  std::uint64_t agent_key = 0;
  std::int64_t second = 0;  ///< since the Unix epoch
  std::uint64_t events = 0;
};

struct PatternTally {
  std::uint32_t pattern = 0;
  std::uint64_t lines = 0;
  std::uint64_t events = 0;  ///< of those lines, the valid events
};

/// Events that one detection rule matched.
struct RuleTally {
  std::uint32_t rule = 0;
  std::uint64_t events = 0;
};

/// Events of one agent that one rule, or one pattern, matched.
struct AgentMatchTally {
  std::uint64_t agent_key = 0;
  std::uint32_t match = 0;  ///< the rule's or the pattern's index
  std::uint64_t events = 0;
};

/// An event a rule matched, where it is in its file.
struct RuleEvidence {
  std::uint32_t rule = 0;
  std::uint64_t line_number = 0;  ///< 1-based
  std::uint64_t offset = 0;       ///< decoded offset of the line's first byte
};

/// Events of one correlation group at one millisecond with one value
/// (kernels::CorrelationValue says which).
struct CorrelationTally {
  std::uint32_t correlation = 0;
  std::uint64_t group = 0;  ///< hash of the group field values
  std::uint64_t value = 0;
  std::int64_t time = 0;
  std::uint64_t events = 0;
  std::uint32_t label = 0;         ///< group_values[label, label + label_fields): its values
  std::uint32_t label_fields = 0;  ///< the correlation's group-by fields
};

struct MalformedLine {
  std::uint64_t line_number = 0;
  std::uint64_t offset = 0;  ///< decoded offset of the offending byte
  kernels::JsonError error = kernels::JsonError::kNone;
};

struct BatchResult {
  /// The batch's bytes on the host, which IdSpans point into; valid until the
  /// batch is recycled, so the state decodes ids only of entities it has not seen.
  const char* bytes = nullptr;
  double transfer_seconds = 0;  ///< copying the batch to the device (0 on the CPU)
  std::uint64_t lines = 0;
  std::uint64_t blank_lines = 0;
  std::uint64_t events = 0;
  std::uint64_t malformed_lines = 0;
  std::uint64_t events_without_agent = 0;
  std::uint64_t events_without_operator = 0;
  std::uint64_t events_without_key = 0;
  std::uint64_t events_without_ip = 0;
  std::uint64_t events_without_time = 0;
  std::uint64_t events_with_invalid_time = 0;
  std::uint64_t hit_lines = 0;
  std::uint64_t id_collisions = 0;  ///< distinct ids that share a 64-bit key
  /// (line, automaton) walks redone on the host, exactly but slowly: the DFA
  /// fell back, or the line's matches overflowed the hit buffer.
  std::uint64_t host_walks = 0;
  /// Per-entity rows: one per entity, sorted by key (then agent_key), where
  /// the backend reduces them; one per event in line order otherwise
  /// (kernels::BatchRows). The state merges either alike.
  kernels::BatchRows rows = kernels::BatchRows::kReduced;
  std::vector<AgentTally> agents;
  std::vector<EntityAgentTally> operators;
  std::vector<EntityAgentTally> keys;
  std::vector<EntityAgentTally> ips;
  std::vector<AgentSecondTally> agent_seconds;
  std::vector<PatternTally> patterns;           ///< only patterns that hit; a pattern may repeat
  std::vector<RuleTally> rules;                 ///< only rules that hit, by rule
  std::vector<RuleEvidence> evidence;           ///< the first lines of each rule, by rule and line
  std::vector<AgentMatchTally> agent_rules;     ///< by agent, then rule
  std::vector<AgentMatchTally> agent_patterns;  ///< in no order; a pair may repeat
  std::vector<CorrelationTally> correlations;   ///< by correlation, then group, value, second
  std::vector<kernels::FieldValue> group_values;  ///< spans into `bytes` of group field values
  std::vector<MalformedLine> malformed;           ///< the first few, in line order
};

/// Human text for a JSON error, e.g. "expected ',' or a closing bracket".
const char* describe(kernels::JsonError error);

}  // namespace agentsweep::engine
