/** @file
 * Busiest time windows from per-second counts. A window is `length` consecutive
 * whole seconds, so its events have timestamps in [start, start + length) at
 * millisecond precision; windows start on whole seconds (a burst that straddles
 * a second boundary is counted as in the aligned window that holds most of it).
 * Exact whatever the order in which batches and files delivered the counts.
 */
#pragma once

#include <cstdint>
#include <vector>

#include "host/engine/count_range.hpp"
#include "host/state/scan_state.hpp"

namespace agentsweep::state {

struct BusiestWindow {
  std::uint64_t events = 0;
  std::int64_t start_second = 0;  ///< of the earliest such window, which starts at an event
};

/// Sorts `seconds` and merges repeated seconds in place, then finds the window.
BusiestWindow busiest_window(std::vector<SecondCount>& seconds, std::int64_t length);

struct ReachedWindow {
  bool reached = false;
  std::uint64_t count = 0;        ///< events, or distinct values, in the window
  std::int64_t start_second = 0;  ///< the window starts at an entry's second
};

/// The earliest window of `length` seconds, starting at the second of an
/// entry, whose count of events, or of distinct values when `distinct`
/// (value_count), is in `counts`. Only such windows count: one per second
/// with events, each holding at least one. Sorts `entries`.
ReachedWindow first_window_counting(std::vector<CorrelationGroup::Entry>& entries,
                                    std::int64_t length, const engine::CountRange& counts,
                                    bool distinct);

}  // namespace agentsweep::state
