/** @file
 * Correlation windows over sorted entries: two pointers for counts and sums,
 * a Fenwick tree over the window's numbers for percentiles, and a greedy
 * earliest-next search per start for rules in order.
 */
#include "host/state/correlation_windows.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

namespace agentsweep::state {
namespace {

using Entry = CorrelationGroup::Entry;

/// Sorts by (time, value) and merges entries of the same time and value, so
/// that the list, and every sum over it, is the same however it was gathered.
void canonicalize(std::vector<Entry>& entries) {
  const auto less = [](const Entry& a, const Entry& b) {
    return a.time != b.time ? a.time < b.time : a.value < b.value;
  };
  // A group's entries mostly come from the state already in order.
  if (!std::is_sorted(entries.begin(), entries.end(), less))
    std::sort(entries.begin(), entries.end(), less);
  std::size_t kept = 0;
  for (const Entry& e : entries) {
    if (kept > 0 && entries[kept - 1].time == e.time && entries[kept - 1].value == e.value)
      entries[kept - 1].events += e.events;
    else
      entries[kept++] = e;
  }
  entries.resize(kept);
}

double number_of(const Entry& e) {
  return std::bit_cast<double>(e.value);
}

/// Judges each window, the one that starts at each distinct time in turn, and
/// hands every one that meets the test to `found`, until `found` returns true.
template <class Add, class Remove, class Judge, class Found>
void slide(const std::vector<Entry>& entries, std::int64_t length, Add add, Remove remove,
           Judge judge, Found found) {
  std::size_t last = 0;
  for (std::size_t first = 0; first < entries.size(); ++first) {
    if (first > 0 && entries[first].time == entries[first - 1].time) continue;
    for (; last < entries.size() && entries[last].time < entries[first].time + length; ++last)
      add(entries[last]);
    ReachedWindow w = judge();
    if (w.reached) {
      w.start = entries[first].time;
      w.last = entries[last - 1].time;
      if (found(w)) return;
    }
    for (std::size_t gone = first;
         gone < entries.size() && entries[gone].time == entries[first].time; ++gone)
      remove(entries[gone]);
  }
}

template <class Found>
void counting(const std::vector<Entry>& entries, const WindowTest& test, Found found) {
  const bool distinct = test.measure != WindowMeasure::kEvents;
  std::uint64_t events = 0;
  // In the window: value -> entries; only kept for distinct counts.
  std::unordered_map<std::uint64_t, std::uint64_t> values;
  slide(
      entries, test.length,
      [&](const Entry& e) {
        events += e.events;
        if (distinct) ++values[e.value];
      },
      [&](const Entry& e) {
        events -= e.events;
        if (distinct && --values[e.value] == 0) values.erase(e.value);
      },
      [&] {
        const std::uint64_t count = distinct ? values.size() : events;
        return ReachedWindow{test.counts.contains(count), count, 0, 0, 0};
      },
      found);
}

/// Sums in long double: exact for whole numbers while sums stay below 2^64.
template <class Found>
void summing(const std::vector<Entry>& entries, const WindowTest& test, Found found) {
  long double sum = 0;
  std::uint64_t events = 0;
  slide(
      entries, test.length,
      [&](const Entry& e) {
        sum += static_cast<long double>(number_of(e)) * static_cast<long double>(e.events);
        events += e.events;
      },
      [&](const Entry& e) {
        sum -= static_cast<long double>(number_of(e)) * static_cast<long double>(e.events);
        events -= e.events;
      },
      [&] {
        const double value = static_cast<double>(
            test.measure == WindowMeasure::kSum ? sum : sum / static_cast<long double>(events));
        return ReachedWindow{test.condition.holds(value), events, value, 0, 0};
      },
      found);
}

/// Counts of the window's numbers by rank among the group's distinct numbers.
class RankCounts {
 public:
  explicit RankCounts(std::size_t ranks) : tree_(ranks + 1, 0) {}
  void add(std::size_t rank, std::int64_t events) {
    for (std::size_t i = rank + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += events;
  }
  /// The smallest rank with at least `k` events at or below it (1 <= k <= total).
  std::size_t kth(std::uint64_t k) const {
    std::size_t pos = 0;
    for (std::size_t step = std::bit_floor(tree_.size()); step > 0; step >>= 1)
      if (pos + step < tree_.size() && static_cast<std::uint64_t>(tree_[pos + step]) < k) {
        pos += step;
        k -= static_cast<std::uint64_t>(tree_[pos]);
      }
    return pos;  // 0-based rank
  }

 private:
  std::vector<std::int64_t> tree_;
};

/// Nearest rank: the smallest number with at least `percentile` % of the
/// window's events at or below it.
template <class Found>
void percentile_of(const std::vector<Entry>& entries, const WindowTest& test, Found found) {
  std::vector<double> numbers;
  for (const Entry& e : entries) numbers.push_back(number_of(e));
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  const auto rank = [&](const Entry& e) {
    return static_cast<std::size_t>(std::lower_bound(numbers.begin(), numbers.end(), number_of(e)) -
                                    numbers.begin());
  };
  RankCounts counts(numbers.size());
  std::uint64_t events = 0;
  slide(
      entries, test.length,
      [&](const Entry& e) {
        counts.add(rank(e), static_cast<std::int64_t>(e.events));
        events += e.events;
      },
      [&](const Entry& e) {
        counts.add(rank(e), -static_cast<std::int64_t>(e.events));
        events -= e.events;
      },
      [&] {
        // p * n first: exact for whole percentiles, so 95 % of 20 is rank 19, not 20.
        const long double wanted =
            std::ceil(static_cast<long double>(test.percentile) * events / 100);
        const auto k = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(wanted));
        const double value = numbers[counts.kth(k)];
        return ReachedWindow{test.condition.holds(value), events, value, 0, 0};
      },
      found);
}

/// Each event of slot 0 from which slots 1, 2, ... follow at non-decreasing
/// times within the window; each next step takes the earliest event it can,
/// which leaves the most room for the steps after it.
template <class Found>
void in_order(const std::vector<Entry>& entries, const WindowTest& test, Found found) {
  if (test.rules == 0) return;
  std::vector<std::vector<std::int64_t>> times(test.rules);
  for (const Entry& e : entries)
    if (e.value < times.size()) times[e.value].push_back(e.time);  // sorted with the entries
  for (const std::int64_t start : times[0]) {
    std::int64_t at = start;
    bool complete = true;
    for (std::size_t step = 1; step < test.rules && complete; ++step) {
      const auto next = std::lower_bound(times[step].begin(), times[step].end(), at);
      if (next == times[step].end()) return;  // later starts cannot find it either
      at = *next;
      complete = at < start + test.length;
    }
    if (complete && found(ReachedWindow{true, test.rules, 0, start, at})) return;
  }
}

/// Runs the measure of `test` over canonical entries.
template <class Found>
void each_window(std::vector<Entry>& entries, const WindowTest& test, Found found) {
  canonicalize(entries);
  switch (test.measure) {
    case WindowMeasure::kEvents:
    case WindowMeasure::kDistinctValues:
    case WindowMeasure::kDistinctRules:
      return counting(entries, test, found);
    case WindowMeasure::kRulesInOrder:
      return in_order(entries, test, found);
    case WindowMeasure::kSum:
    case WindowMeasure::kAverage:
      return summing(entries, test, found);
    case WindowMeasure::kPercentile:
      return percentile_of(entries, test, found);
  }
}

}  // namespace

WindowMeasure measure_of(const std::string& type) {
  if (type == "event_count") return WindowMeasure::kEvents;
  if (type == "value_count") return WindowMeasure::kDistinctValues;
  if (type == "temporal") return WindowMeasure::kDistinctRules;
  if (type == "temporal_ordered") return WindowMeasure::kRulesInOrder;
  if (type == "value_sum") return WindowMeasure::kSum;
  if (type == "value_avg") return WindowMeasure::kAverage;
  if (type == "value_percentile" || type == "value_median") return WindowMeasure::kPercentile;
  throw std::invalid_argument("unknown correlation type '" + type + "'");
}

ReachedWindow first_window(std::vector<Entry>& entries, const WindowTest& test) {
  ReachedWindow first;
  each_window(entries, test, [&](const ReachedWindow& w) {
    first = w;
    return true;
  });
  return first;
}

std::vector<std::int64_t> firing_times(std::vector<Entry>& entries, const WindowTest& test) {
  std::vector<std::int64_t> times;
  if (test.measure == WindowMeasure::kRulesInOrder) {  // when a sequence completes
    each_window(entries, test, [&](const ReachedWindow& w) {
      times.push_back(w.last);
      return false;
    });
  } else {
    // The windows that end at each event, (t - length, t]: with time run backwards, they
    // are the windows that start at each event.
    for (Entry& e : entries) e.time = -e.time;
    each_window(entries, test, [&](const ReachedWindow& w) {
      times.push_back(-w.start);
      return false;
    });
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  return times;
}

}  // namespace agentsweep::state
