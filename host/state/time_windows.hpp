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

#include "host/state/scan_state.hpp"

namespace agentsweep::state {

struct BusiestWindow {
  std::uint64_t events = 0;
  std::int64_t start_second = 0;  ///< of the earliest such window, which starts at an event
};

/// Sorts `seconds` and merges repeated seconds in place, then finds the window.
BusiestWindow busiest_window(std::vector<SecondCount>& seconds, std::int64_t length);

}  // namespace agentsweep::state
