/** @file
 * A batch's rows merged into one KeyMap by several threads, with the result of
 * one thread merging them in order. Three phases, each a round of parts:
 *   1. find: the rows' entry numbers, where the map holds their keys already;
 *      threads take ranges of rows and only read the map;
 *   2. add: one thread per map adds the new keys in row order, so entries get
 *      the numbers (and the order) a sequential merge gives them;
 *   3. update: threads take the entries whose number is theirs modulo the
 *      shard count, and apply their rows in row order.
 * The random reads of a large population (the index, then the entry) are
 * what bounds a merge: phases 1 and 3 spread them over the threads.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace agentsweep::state {

/// Where a batch's rows of one map land: per row its entry number, and whether
/// it is the row that added the entry.
struct RowPlaces {
  static constexpr std::uint32_t kNew = 0xFFFFFFFFu;  ///< not in the map before this batch
  std::vector<std::uint32_t> entry;
  std::vector<std::uint8_t> added;
};

/// Rows ahead of the one merged: their map places are fetched 2 x kAhead rows
/// early, their entries kAhead early, so that merging a row seldom waits for
/// memory. Used by the sequential merge too.
inline constexpr std::size_t kAhead = 8;

template <class Map, class Row>
void prefetch_ahead(const Map& map, const std::vector<Row>& rows, std::size_t i) {
  if (i + 2 * kAhead < rows.size()) map.prefetch(rows[i + 2 * kAhead].key);
  if (i + kAhead < rows.size()) map.prefetch_entry(rows[i + kAhead].key);
}

/// Phase 1 for rows [first, end): their entry numbers, kNew where the map lacks the key.
template <class Map, class Row>
void find_rows(const Map& map, const std::vector<Row>& rows, RowPlaces& places, std::size_t first,
               std::size_t end) {
  for (std::size_t i = first; i < end; ++i) {
    prefetch_ahead(map, rows, i);
    const std::size_t found = map.index_of(rows[i].key);
    places.entry[i] = found == Map::kAbsent ? RowPlaces::kNew : static_cast<std::uint32_t>(found);
    places.added[i] = 0;
  }
}

/// Phase 2: adds the keys phase 1 did not find, in row order.
template <class Map, class Row>
void add_new_rows(Map& map, const std::vector<Row>& rows, RowPlaces& places) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (places.entry[i] != RowPlaces::kNew) continue;
    const auto [index, added] = map.index_or_add(rows[i].key);
    places.entry[i] = static_cast<std::uint32_t>(index);
    places.added[i] = added ? 1 : 0;
  }
}

/// Phase 3 for one shard: update(value, row, added) for each row whose entry
/// number is `shard` modulo `shards`, in row order.
template <class Map, class Row, class Update>
void update_rows(Map& map, const std::vector<Row>& rows, const RowPlaces& places, std::size_t shard,
                 std::size_t shards, const Update& update) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::uint32_t index = places.entry[i];
    if (index % shards != shard) continue;
    update(map.entry(index).second, rows[i], places.added[i] != 0);
  }
}

}  // namespace agentsweep::state
