/** @file
 * The result of a whole scan, merged batch by batch: per-file accounting,
 * per-agent tallies and activity by second, the agents of every operator, API
 * key and source address, per-pattern line and event counts. Merging is integer
 * addition, minimum, maximum and set union, so the order of batches never matters.
 * Per-second counts and correlation entries, which grow with the input, live in
 * spillable stores (spill_runs.hpp) bounded by SpillOptions::memory_bytes.
 */
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "host/engine/batch_result.hpp"
#include "host/state/id_text.hpp"
#include "host/state/key_map.hpp"
#include "host/state/key_set.hpp"
#include "host/state/part_runner.hpp"
#include "host/state/sharded_rows.hpp"
#include "host/state/spill_runs.hpp"

namespace agentsweep::state {

struct FileSummary {
  std::string path;
  std::string codec;
  std::uint64_t compressed_bytes = 0;
  std::uint64_t decoded_bytes = 0;
  std::uint64_t scanned_bytes = 0;  ///< decoded bytes of the lines handed to the backend
  std::uint64_t skipped_bytes = 0;  ///< of oversized and incomplete lines, newlines included
  std::uint64_t lines = 0;
  std::uint64_t blank_lines = 0;
  std::uint64_t events = 0;
  std::uint64_t malformed_lines = 0;
  std::uint64_t oversized_lines = 0;   ///< longer than a batch: not scanned
  std::uint64_t incomplete_lines = 0;  ///< cut off by a read or decode error: not scanned
  std::vector<std::string> errors;     ///< why the file could not be read completely
  bool complete() const { return errors.empty(); }
};

/// Events of an agent in one whole second since the epoch.
struct SecondCount {
  std::int64_t second = 0;
  std::uint64_t events = 0;
};

/// A record of the per-second store: by agent, then second. 16 bytes, so that
/// the store's memory holds half as many again as with three words: the second
/// (biased, in the high 40 bits; timestamps span years 0-9999, far inside) and
/// the events (the low 24 bits) share a word. A count beyond kMaxEvents is held
/// in several records of the same second (ScanState::add_seconds).
struct AgentSecond {
  static constexpr int kEventBits = 24;
  static constexpr std::uint64_t kMaxEvents = (std::uint64_t{1} << kEventBits) - 1;
  static constexpr std::int64_t kMinSecond = -(std::int64_t{1} << 39);
  static constexpr std::int64_t kMaxSecond = (std::int64_t{1} << 39) - 1;

  std::uint64_t agent = 0;
  std::uint64_t second_and_events = 0;

  AgentSecond() = default;
  /// `second` within [kMinSecond, kMaxSecond], `events` at most kMaxEvents.
  AgentSecond(std::uint64_t agent_key, std::int64_t second, std::uint64_t events)
      : agent(agent_key),
        second_and_events(static_cast<std::uint64_t>(second - kMinSecond) << kEventBits | events) {}

  static bool holds_second(std::int64_t second) {
    return second >= kMinSecond && second <= kMaxSecond;
  }
  /// The second as stored (biased): ordered as the seconds are.
  std::uint64_t biased_second() const { return second_and_events >> kEventBits; }
  std::int64_t second() const { return static_cast<std::int64_t>(biased_second()) + kMinSecond; }
  std::uint64_t events() const { return second_and_events & kMaxEvents; }

  static bool less(const AgentSecond& a, const AgentSecond& b) {
    return a.agent != b.agent ? a.agent < b.agent : a.biased_second() < b.biased_second();
  }
  static bool same(const AgentSecond& a, const AgentSecond& b) {
    return a.agent == b.agent && a.biased_second() == b.biased_second();
  }
  /// Moves the events of `from` (the same second) into `into` as far as they
  /// fit; true when none are left in `from`.
  static bool merge(AgentSecond& into, AgentSecond& from) {
    const std::uint64_t moved = std::min(kMaxEvents - into.events(), from.events());
    into.second_and_events += moved;
    from.second_and_events -= moved;
    return from.events() == 0;
  }
};
static_assert(sizeof(AgentSecond) == 16);

struct AgentSummary {
  IdText id;
  std::uint64_t events = 0;
  std::uint64_t hit_events = 0;
  std::uint64_t events_with_operator = 0;
  std::int64_t first_ms = kernels::kNoTime;
  std::int64_t last_ms = kernels::kNoTime;
  /// Events each detection rule matched (rule index, events) in index order; few per agent.
  std::vector<std::pair<std::uint32_t, std::uint64_t>> rule_events;
  /// Events each pattern matched (pattern index, events) in index order; few per agent.
  std::vector<std::pair<std::uint32_t, std::uint64_t>> pattern_events;

  void add_rule_events(std::uint32_t rule, std::uint64_t count);
  void add_pattern_events(std::uint32_t pattern, std::uint64_t count);
};

/// An operator, API key or source address: its events and the agents seen with it.
struct EntitySummary {
  IdText id;
  std::uint64_t events = 0;
  KeySet agents;  ///< keys of the agents seen with it
};

/// Agents, operators, keys and addresses by their 64-bit key, in the order first seen.
using AgentMap = KeyMap<AgentSummary>;
using EntityMap = KeyMap<EntitySummary>;

struct PatternHits {
  std::uint64_t lines = 0;
  std::uint64_t events = 0;
};

/// An event a rule matched: file id (add_file), line number and decoded offset.
struct EvidenceLine {
  std::uint32_t file = 0;
  std::uint64_t line_number = 0;
  std::uint64_t offset = 0;
};

/// A correlation group: its field values. Its entries, events per millisecond
/// and value (kernels::CorrelationValue: 0, a value's hash, a rule slot or a
/// number's bits), are CorrelationRecords of the state's store.
struct CorrelationGroup {
  std::vector<std::string> label;  ///< group-by values ("null" when absent or null)
  struct Entry {
    std::uint64_t value = 0;
    std::int64_t time = 0;
    std::uint64_t events = 0;
  };
};

/// A record of the correlation store: by correlation, group, time, then value.
struct CorrelationRecord {
  std::uint64_t correlation = 0;  ///< index in the plan's order
  std::uint64_t group = 0;
  std::int64_t time = 0;
  std::uint64_t value = 0;
  std::uint64_t events = 0;

  static bool less(const CorrelationRecord& a, const CorrelationRecord& b) {
    if (a.correlation != b.correlation) return a.correlation < b.correlation;
    if (a.group != b.group) return a.group < b.group;
    return a.time != b.time ? a.time < b.time : a.value < b.value;
  }
  static bool same(const CorrelationRecord& a, const CorrelationRecord& b) {
    return a.correlation == b.correlation && a.group == b.group && a.time == b.time &&
           a.value == b.value;
  }
  static bool merge(CorrelationRecord& into, CorrelationRecord& from) {
    into.events += from.events;
    return true;
  }
  bool operator==(const CorrelationRecord&) const = default;
};

using CorrelationGroups = KeyMap<CorrelationGroup>;

struct RuleHits {
  std::uint64_t events = 0;
  std::vector<EvidenceLine> evidence;  ///< the first ones in input order
};

/// Seconds each part of ScanState::add_batch took, summed over batches, on
/// whichever thread ran it (the parts run side by side with merge threads).
struct MergePartSeconds {
  double agents = 0;
  double keys = 0;
  double addresses = 0;
  double operators = 0;
  double rest = 0;          ///< per-second counts, rules, correlations, patterns, files
  std::size_t threads = 1;  ///< threads that merged (set_merge_threads)
  std::size_t shards = 1;   ///< ways each map's rows were split (summed above)
};

class ScanState {
 public:
  /// Keeps up to `evidence_per_rule` evidence lines per rule. Per-second
  /// counts and correlation entries hold at most `spill.memory_bytes` in
  /// memory together (halves when there are correlations) and spill the rest
  /// to `spill.directory`.
  ScanState(std::size_t pattern_count, std::size_t rule_count = 0,
            std::size_t evidence_per_rule = 0, std::size_t correlation_count = 0,
            const SpillOptions& spill = {});

  /// Registers an input file; returns its id for add_batch().
  std::uint32_t add_file(std::string path);
  FileSummary& file(std::uint32_t id) { return files_[id]; }

  /// Merges a batch. Its agents, operators, keys and addresses are merged at
  /// once on the threads of set_merge_threads, each into its own map.
  void add_batch(std::uint32_t file_id, const engine::BatchResult& batch);

  /// Threads besides add_batch's caller that merge parts of each batch (0 by
  /// default: all on the caller), and with `shards` > 1, the ways each map's
  /// rows are split between them (sharded_rows.hpp); the state is the same
  /// either way. Worth it with many cores and a large population.
  void set_merge_threads(std::size_t helpers, std::size_t shards = 1);

  /// Adds a state of other inputs, scanned with the same setup, as if they had
  /// been scanned after these. Throws std::invalid_argument when the pattern or
  /// rule counts differ.
  void merge(const ScanState& other);

  const std::vector<FileSummary>& files() const { return files_; }
  const AgentMap& agents() const { return agents_; }
  const EntityMap& operators() const { return operators_; }
  const EntityMap& keys() const { return keys_; }
  const EntityMap& ips() const { return ips_; }
  /// Per pattern, in the plan's order: lines that match, and of those the events.
  const std::vector<PatternHits>& pattern_hits() const { return pattern_hits_; }
  /// Per detection rule, in the plan's order.
  const std::vector<RuleHits>& rule_hits() const { return rule_hits_; }
  /// Per correlation, in the plan's order: its groups by key.
  const std::vector<CorrelationGroups>& correlations() const { return correlations_; }

  using SecondsVisit = std::function<void(std::uint64_t agent, std::vector<SecondCount>& seconds)>;
  /// Calls `visit` for each agent with per-second counts, in key order, with its
  /// seconds ascending and each second once.
  void each_agent_seconds(const SecondsVisit& visit) const;

  using EntriesVisit = std::function<void(std::size_t correlation, std::uint64_t group,
                                          std::vector<CorrelationGroup::Entry>& entries)>;
  /// Calls `visit` for each correlation group with entries, by correlation and
  /// key, with its entries by time and value and each (time, value) once.
  void each_correlation_group(const EntriesVisit& visit) const;

  /// The parts' seconds so far, with the threads and shards that merged them.
  MergePartSeconds merge_part_seconds() const {
    MergePartSeconds s = part_seconds_;
    s.threads = merge_parts_->helpers() + 1;
    s.shards = shards_;
    return s;
  }
  /// What the per-second and correlation stores spilled, and their peak memory.
  SpillStats spill_stats() const;
  std::uint64_t events_without_agent() const { return events_without_agent_; }
  std::uint64_t events_without_operator() const { return events_without_operator_; }
  std::uint64_t events_without_key() const { return events_without_key_; }
  std::uint64_t events_without_ip() const { return events_without_ip_; }
  std::uint64_t events_without_time() const { return events_without_time_; }
  std::uint64_t events_with_invalid_time() const { return events_with_invalid_time_; }
  std::uint64_t hit_lines() const { return hit_lines_; }
  std::uint64_t id_collisions() const { return id_collisions_; }
  std::uint64_t host_walks() const { return host_walks_; }

 private:
  friend class StateCodec;  // state_file.cpp

  /// A known entity's id: where the batch has it, and as stored.
  struct IdCheck {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
    bool escaped = false;
    IdText::Snapshot stored;
  };
  /// Known ids waiting to be compared, and the collisions found: one set per
  /// map, so that the parts of a batch's merge share nothing.
  struct IdChecks {
    /// The batch's rows are in line order (kernels::BatchRows::kPerEvent): its
    /// bytes are read in order anyway, so ids are compared at once.
    bool at_once = false;
    std::vector<IdCheck> pending;
    std::vector<IdCheck> by_place;  ///< check_ids' order; kept between batches for its room
    std::uint64_t collisions = 0;
  };

  /// Stores the decoded id of a new entity now; a known entity's is compared
  /// with the stored one, at once (rows per event, or an id the row carries a
  /// copy of) or later (check_ids), and a mismatch counted as a collision.
  static void check_id(IdChecks& checks, bool inserted, IdText& stored, const char* bytes,
                       const engine::IdSpan& id);
  /// Compares the ids of known entities gathered by check_id, in the order of
  /// the batch's bytes, which spares most of a random read of the batch each.
  static void check_ids(IdChecks& checks, const char* bytes);
  /// One row of a batch added to its agent or entity (`added`: this row added it).
  static void add_row(AgentSummary& agent, bool added, IdChecks& checks, const char* bytes,
                      const engine::AgentTally& row);
  static void add_row(EntitySummary& entity, bool added, IdChecks& checks, const char* bytes,
                      const engine::EntityAgentTally& row);
  /// The four maps each merged whole by one part, beside merge_rest.
  void merge_in_parts(std::uint32_t file_id, const engine::BatchResult& batch);
  /// merge_maps_in_shards, and merge_rest beside it.
  void merge_in_shards(std::uint32_t file_id, const engine::BatchResult& batch);
  /// Each map's rows merged by shards_ parts in three rounds (sharded_rows.hpp).
  void merge_maps_in_shards(const engine::BatchResult& batch);
  void merge_agents(const engine::BatchResult& batch, IdChecks& checks);
  /// Per (agent, rule) and (agent, pattern) events; may add agents.
  void merge_agent_matches(const engine::BatchResult& batch);
  static void merge_entities(EntityMap& into, const char* bytes,
                             const std::vector<engine::EntityAgentTally>& tallies,
                             IdChecks& checks);
  /// What no map holds: per-second counts, rules, correlations, patterns.
  void merge_rest(std::uint32_t file_id, const engine::BatchResult& batch);
  void add_correlations(const engine::BatchResult& batch);
  /// Adds `events` of `agent` in `second`, in as many records as they need.
  void add_seconds(std::uint64_t agent, std::int64_t second, std::uint64_t events);

  std::vector<FileSummary> files_;
  AgentMap agents_;
  EntityMap operators_;
  EntityMap keys_;
  EntityMap ips_;
  std::vector<PatternHits> pattern_hits_;
  std::vector<RuleHits> rule_hits_;
  std::vector<CorrelationGroups> correlations_;
  SpillRuns<AgentSecond> seconds_;
  SpillRuns<CorrelationRecord> correlation_entries_;
  std::size_t evidence_per_rule_ = 0;
  std::uint64_t events_without_agent_ = 0;
  std::uint64_t events_without_operator_ = 0;
  std::uint64_t events_without_key_ = 0;
  std::uint64_t events_without_ip_ = 0;
  std::uint64_t events_without_time_ = 0;
  std::uint64_t events_with_invalid_time_ = 0;
  std::uint64_t hit_lines_ = 0;
  std::uint64_t id_collisions_ = 0;
  std::uint64_t host_walks_ = 0;

  /// Of agents, operators, keys and addresses, shards_ each (map * shards_ + shard).
  std::vector<IdChecks> id_checks_ = std::vector<IdChecks>(4);
  std::array<RowPlaces, 4> places_;  ///< merge_in_shards' rows, kept for their room
  std::size_t shards_ = 1;
  MergePartSeconds part_seconds_;
  std::unique_ptr<PartRunner> merge_parts_ = std::make_unique<PartRunner>(0);
  std::unique_ptr<PartRunner> rest_beside_;  ///< with shards: merge_rest beside their rounds
};

}  // namespace agentsweep::state
