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
  std::uint64_t without_key = 0;
  std::uint64_t without_ip = 0;
  std::uint64_t without_time = 0;  ///< no time field, or null
  std::uint64_t invalid_time = 0;  ///< a time field that is no timestamp
  std::uint64_t timed_agent = 0;   ///< with an agent and a valid time
  std::uint64_t hit = 0;

  AGENTSWEEP_HD LineCounts operator+(const LineCounts& o) const {
    return {blank + o.blank,
            events + o.events,
            malformed + o.malformed,
            without_agent + o.without_agent,
            without_operator + o.without_operator,
            without_key + o.without_key,
            without_ip + o.without_ip,
            without_time + o.without_time,
            invalid_time + o.invalid_time,
            timed_agent + o.timed_agent,
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
    c.without_key = c.events && r.key.key == kNoEntity;
    c.without_ip = c.events && r.ip.key == kNoEntity;
    c.without_time = c.events && r.time == TimeStatus::kAbsent;
    c.invalid_time = c.events && r.time == TimeStatus::kInvalid;
    c.timed_agent = c.events && r.agent.key != kNoEntity && r.time == TimeStatus::kValid;
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
  std::int64_t first_ms = kNoTime;  ///< earliest valid timestamp
  std::int64_t last_ms = kNoTime;   ///< latest valid timestamp
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
    merged.first_ms = earlier_time(a.first_ms, b.first_ms);
    merged.last_ms = later_time(a.last_ms, b.last_ms);
    return merged;
  }
};

AGENTSWEEP_HD inline EntityRow entity_row(const LineRecord& r, const EntityRef& id,
                                          std::uint32_t line) {
  EntityRow row;
  row.events = 1;
  row.hit_events = r.hit;
  row.with_operator = r.op.key != kNoEntity;
  if (r.time == TimeStatus::kValid) row.first_ms = row.last_ms = r.time_ms;
  row.first_line = line;
  row.offset = id.offset;
  row.length = id.length;
  row.escaped = id.escaped;
  return row;
}

/// Events whose `Entity` is present.
template <EntityRef LineRecord::*Entity>
struct IsEventWith {
  AGENTSWEEP_HD bool operator()(const LineRecord& r) const {
    return r.kind == LineKind::kEvent && (r.*Entity).key != kNoEntity;
  }
};

/// Events with an agent and a valid time: the per-second counts of windows.
struct IsTimedEventWithAgent {
  AGENTSWEEP_HD bool operator()(const LineRecord& r) const {
    return r.kind == LineKind::kEvent && r.agent.key != kNoEntity && r.time == TimeStatus::kValid;
  }
};

struct IsMalformed {
  AGENTSWEEP_HD bool operator()(const LineRecord& r) const {
    return r.kind == LineKind::kMalformed;
  }
};

/// The key of line `index`'s `Entity` (kNoEntity when absent).
template <EntityRef LineRecord::*Entity>
struct EntityKeyOf {
  const LineRecord* records;
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t index) const {
    return (records[index].*Entity).key;
  }
};

/// The absent second key of single-key reductions (per agent).
struct NoKey {
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t) const { return 0; }
};

/// The whole second of line `index`'s time, as an unsigned sort key.
struct SecondOf {
  const LineRecord* records;
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t index) const {
    return static_cast<std::uint64_t>(second_of(records[index].time_ms));
  }
};

/// Line `index` as a row whose id is its `Entity`.
template <EntityRef LineRecord::*Entity>
struct EntityRowOf {
  const LineRecord* records;
  AGENTSWEEP_HD EntityRow operator()(std::uint32_t index) const {
    return entity_row(records[index], records[index].*Entity, index);
  }
};

/// 1 when sorted neighbours share a key but their ids differ: a hash collision.
/// `lines` are the line indices in sorted order, `row_of` maps one to its row.
template <class RowOf>
struct NeighbourCollides {
  const char* bytes;
  const std::uint64_t* keys;
  const std::uint32_t* lines;
  RowOf row_of;
  AGENTSWEEP_HD std::uint64_t operator()(std::uint32_t index) const {
    if (keys[index] != keys[index - 1]) return 0;
    const EntityRow a = row_of(lines[index]);
    const EntityRow b = row_of(lines[index - 1]);
    return json_strings_equal(bytes + a.offset, a.length, a.escaped, bytes + b.offset, b.length,
                              b.escaped)
               ? 0
               : 1;
  }
};

}  // namespace agentsweep::kernels
