/** @file
 * Functors for the batch-level reductions of scan_batch.inl: line counts,
 * per-entity rows and id-collision checks. Integer
 * sums and minimums only, so results never depend on order or backend.
 */
#pragma once

#include <cstdint>

#include "kernels/portability.cuh"
#include "kernels/scan_line.cuh"

namespace agentsweep::kernels {

struct LineCounts {
  std::uint64_t blank = 0;
  std::uint64_t events = 0;
  std::uint64_t malformed = 0;
  std::uint64_t without_agent = 0;
  std::uint64_t without_operator = 0;
  std::uint64_t hit = 0;

  AGENTSWEEP_HD LineCounts operator+(const LineCounts& o) const {
    return {blank + o.blank,
            events + o.events,
            malformed + o.malformed,
            without_agent + o.without_agent,
            without_operator + o.without_operator,
            hit + o.hit};
  }
};

struct CountLine {
  AGENTSWEEP_HD LineCounts operator()(const LineRecord& r) const {
    LineCounts c;
    c.blank = r.kind == LineKind::kBlank;
    c.malformed = r.kind == LineKind::kMalformed;
    c.events = r.kind == LineKind::kEvent;
    c.without_agent = c.events && r.agent.key == kNoEntity;
    c.without_operator = c.events && r.op.key == kNoEntity;
    c.hit = r.hit;
    return c;
  }
};

struct PlusLineCounts {
  AGENTSWEEP_HD LineCounts operator()(const LineCounts& a, const LineCounts& b) const {
    return a + b;
  }
};

/// Aggregate of the events of one entity (or entity pair) in a batch, with
/// the position of its first occurrence so the host can print the id.
struct EntityRow {
  std::uint64_t events = 0;
  std::uint64_t hit_events = 0;
  std::uint64_t with_operator = 0;
  std::uint32_t first_line = 0;
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  bool escaped = false;
};

struct MergeEntityRows {
  AGENTSWEEP_HD EntityRow operator()(const EntityRow& a, const EntityRow& b) const {
    EntityRow merged = a.first_line <= b.first_line ? a : b;
    merged.events = a.events + b.events;
    merged.hit_events = a.hit_events + b.hit_events;
    merged.with_operator = a.with_operator + b.with_operator;
    return merged;
  }
};

AGENTSWEEP_HD inline EntityRow entity_row(const LineRecord& r, const EntityRef& id,
                                          std::uint32_t line) {
  EntityRow row;
  row.events = 1;
  row.hit_events = r.hit;
  row.with_operator = r.op.key != kNoEntity;
  row.first_line = line;
  row.offset = id.offset;
  row.length = id.length;
  row.escaped = id.escaped;
  return row;
}

struct IsEventWithAgent {
  AGENTSWEEP_HD bool operator()(const LineRecord& r) const {
    return r.kind == LineKind::kEvent && r.agent.key != kNoEntity;
  }
};

struct IsEventWithOperator {
  AGENTSWEEP_HD bool operator()(const LineRecord& r) const {
    return r.kind == LineKind::kEvent && r.op.key != kNoEntity;
  }
};

struct IsMalformed {
  AGENTSWEEP_HD bool operator()(const LineRecord& r) const {
    return r.kind == LineKind::kMalformed;
  }
};

struct AgentKeyOf {
  const LineRecord* records;
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t index) const {
    return records[index].agent.key;
  }
};

/// The absent second key of single-key reductions (per agent).
struct NoKey {
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t) const { return 0; }
};

struct OperatorKeyOf {
  const LineRecord* records;
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t index) const {
    return records[index].op.key;
  }
};

/// Line `index` as a row for the per-agent reduction.
struct AgentRowOf {
  const LineRecord* records;
  AGENTSWEEP_HD EntityRow operator()(std::uint32_t index) const {
    return entity_row(records[index], records[index].agent, index);
  }
};

/// Line `index` as a row for the per-(operator, agent) reduction; its id is the operator's.
struct OperatorRowOf {
  const LineRecord* records;
  AGENTSWEEP_HD EntityRow operator()(std::uint32_t index) const {
    return entity_row(records[index], records[index].op, index);
  }
};

/// 1 when sorted neighbours share a key but their ids differ: a hash collision.
struct NeighbourCollides {
  const char* bytes;
  const std::uint64_t* keys;
  const EntityRow* rows;
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t index) const {
    if (keys[index] != keys[index - 1]) return 0;
    const EntityRow& a = rows[index];
    const EntityRow& b = rows[index - 1];
    return json_strings_equal(bytes + a.offset, a.length, a.escaped, bytes + b.offset, b.length,
                              b.escaped)
               ? 0
               : 1;
  }
};

}  // namespace agentsweep::kernels
