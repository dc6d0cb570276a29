/** @file
 * Sliding windows over sorted per-second counts: two pointers, linear time.
 */
#include "host/state/time_windows.hpp"

#include <algorithm>

namespace agentsweep::state {

BusiestWindow busiest_window(std::vector<SecondCount>& seconds, std::int64_t length) {
  std::sort(seconds.begin(), seconds.end(),
            [](const SecondCount& a, const SecondCount& b) { return a.second < b.second; });
  std::size_t kept = 0;
  for (const SecondCount& count : seconds) {
    if (kept > 0 && seconds[kept - 1].second == count.second)
      seconds[kept - 1].events += count.events;
    else
      seconds[kept++] = count;
  }
  seconds.resize(kept);

  // The busiest window can always start at a second with events.
  BusiestWindow best;
  std::uint64_t in_window = 0;
  std::size_t last = 0;
  for (std::size_t first = 0; first < seconds.size(); ++first) {
    for (; last < seconds.size() && seconds[last].second < seconds[first].second + length; ++last)
      in_window += seconds[last].events;
    if (in_window > best.events) best = {in_window, seconds[first].second};
    in_window -= seconds[first].events;
  }
  return best;
}

}  // namespace agentsweep::state
