/** @file
 * Judging a correlation group at the end of a scan: the earliest time window
 * whose measure (events, distinct values, distinct rules, rules in order, or
 * the sum, average or a percentile of a field's numbers) meets the condition.
 * Windows are `length` long and start at the time of one of the group's
 * entries, [start, start + length); exact whatever the order in which batches,
 * files and merged states delivered the entries.
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/engine/count_range.hpp"
#include "host/engine/value_condition.hpp"
#include "host/state/scan_state.hpp"

namespace agentsweep::state {

enum class WindowMeasure {
  kEvents,          ///< event_count
  kDistinctValues,  ///< value_count
  kDistinctRules,   ///< temporal: entries' values are rule slots
  kRulesInOrder,    ///< temporal_ordered: slots 0, 1, ... at non-decreasing times
  kSum,             ///< value_sum: entries' values are a number's bits
  kAverage,         ///< value_avg
  kPercentile,      ///< value_percentile, value_median
};

/// The measure of a Sigma correlation type; throws std::invalid_argument on another.
WindowMeasure measure_of(const std::string& type);

struct WindowTest {
  WindowMeasure measure = WindowMeasure::kEvents;
  std::int64_t length = 0;           ///< in the entries' time unit
  engine::CountRange counts;         ///< the counting measures
  engine::ValueCondition condition;  ///< kSum, kAverage, kPercentile
  double percentile = 50;            ///< kPercentile: nearest rank
  std::size_t rules = 0;             ///< kRulesInOrder: how many slots, in order
};

struct ReachedWindow {
  bool reached = false;
  std::uint64_t count = 0;  ///< the counting measures
  double value = 0;         ///< kSum, kAverage, kPercentile
  std::int64_t start = 0;   ///< in the entries' time unit
  std::int64_t last = 0;    ///< the time of its latest entry: when it was complete
};

/// The earliest window of `entries` that meets `test`. Sorts and may merge `entries`.
ReachedWindow first_window(std::vector<CorrelationGroup::Entry>& entries, const WindowTest& test);

/// When the correlation fired, ascending, each time once: the times of the
/// entries at which the window of the last `length` up to and including them,
/// (t - length, t], meets `test` (kRulesInOrder: the times at which a sequence
/// completes). These are the events of a correlation that chains it. Sorts,
/// may merge and leaves `entries` changed.
std::vector<std::int64_t> firing_times(std::vector<CorrelationGroup::Entry>& entries,
                                       const WindowTest& test);

}  // namespace agentsweep::state
