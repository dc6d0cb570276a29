/** @file
 * Sliding windows over sorted per-second counts: two pointers, linear time.
 */
#include "host/state/time_windows.hpp"

#include <algorithm>
#include <unordered_map>

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

ReachedWindow first_window_counting(std::vector<CorrelationGroup::Entry>& entries,
                                    std::int64_t length, const engine::CountRange& counts,
                                    bool distinct) {
  using Entry = CorrelationGroup::Entry;
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.second < b.second; });
  std::uint64_t events = 0;
  std::unordered_map<std::uint64_t, std::uint64_t> values;  // in the window: value -> entries
  std::size_t last = 0;
  for (std::size_t first = 0; first < entries.size(); ++first) {
    if (first > 0 && entries[first].second == entries[first - 1].second) continue;
    for (; last < entries.size() && entries[last].second < entries[first].second + length; ++last) {
      events += entries[last].events;
      ++values[entries[last].value];
    }
    const std::uint64_t count = distinct ? values.size() : events;
    if (counts.contains(count)) return {true, count, entries[first].second};
    // Slide past every entry of this second.
    for (std::size_t gone = first;
         gone < entries.size() && entries[gone].second == entries[first].second; ++gone) {
      events -= entries[gone].events;
      if (--values[entries[gone].value] == 0) values.erase(entries[gone].value);
    }
  }
  return {};
}

}  // namespace agentsweep::state
