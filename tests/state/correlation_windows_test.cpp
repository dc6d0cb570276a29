/** @file
 * Correlation windows for every measure: hand-made cases at the edges
 * (window boundaries, upper bounds, ties in time, nearest rank), and random
 * groups against a brute-force evaluation of every window, in any arrival order.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <random>
#include <set>
#include <vector>

#include "host/state/correlation_windows.hpp"

namespace agentsweep::state {
namespace {

using Entry = CorrelationGroup::Entry;
constexpr std::uint64_t kAny = engine::CountRange::kUnbounded;

WindowTest counting(WindowMeasure measure, std::int64_t length, engine::CountRange counts) {
  WindowTest test;
  test.measure = measure;
  test.length = length;
  test.counts = std::move(counts);
  return test;
}

WindowTest numeric(WindowMeasure measure, std::int64_t length, engine::ValueCondition condition,
                   double percentile = 50) {
  WindowTest test;
  test.measure = measure;
  test.length = length;
  test.condition = std::move(condition);
  test.percentile = percentile;
  return test;
}

std::uint64_t bits(double number) {
  return std::bit_cast<std::uint64_t>(number);
}

/// Events at 0, 1, 2, 100, 101 and 500 s, one each: 10 s windows starting at
/// those seconds hold 3, 2, 1, 2, 1 and 1 events.
std::vector<Entry> spread_events() {
  return {{7, 101, 1}, {7, 0, 1}, {7, 500, 1}, {7, 2, 1}, {7, 100, 1}, {7, 1, 1}};
}

TEST(CorrelationWindow, TheEarliestWindowWhoseCountMeetsTheCondition) {
  const auto first = [](const engine::CountRange& counts) {
    std::vector<Entry> entries = spread_events();
    return first_window(entries, counting(WindowMeasure::kEvents, 10, counts));
  };
  ReachedWindow w = first({3, kAny, {}});  // gte 3
  EXPECT_TRUE(w.reached);
  EXPECT_EQ(w.start, 0);
  EXPECT_EQ(w.count, 3u);
  w = first({1, 1, {}});  // lte 1: the window at 2 s holds that event alone
  EXPECT_TRUE(w.reached);
  EXPECT_EQ(w.start, 2);
  EXPECT_EQ(w.count, 1u);
  w = first({2, 2, {}});  // eq 2
  EXPECT_EQ(w.start, 1);
  w = first({2, kAny, {3}});  // gte 2 and neq 3
  EXPECT_EQ(w.start, 1);
  EXPECT_FALSE(first({4, kAny, {}}).reached);
  EXPECT_FALSE(first({4, 9, {}}).reached);
}

TEST(CorrelationWindow, DistinctValuesCountOncePerWindow) {
  // Values 1, 1, 2 in [0, 10); value 3 alone at 50 s.
  std::vector<Entry> entries{{1, 0, 4}, {1, 5, 1}, {2, 9, 1}, {3, 50, 2}};
  ReachedWindow w =
      first_window(entries, counting(WindowMeasure::kDistinctValues, 10, {2, kAny, {}}));
  EXPECT_TRUE(w.reached);
  EXPECT_EQ(w.count, 2u);
  EXPECT_EQ(w.start, 0);
  w = first_window(entries, counting(WindowMeasure::kDistinctValues, 10, {1, 1, {}}));
  EXPECT_EQ(w.start, 9);
  w = first_window(entries, counting(WindowMeasure::kEvents, 10, {6, 6, {}}));  // 4 + 1 + 1
  EXPECT_EQ(w.start, 0);
}

TEST(CorrelationWindow, TemporalNeedsEveryRuleInOneWindow) {
  // Rule 0 at 0 s and 30 s, rule 1 at 25 s, rule 2 at 40 s: only [25, 45) holds all three.
  std::vector<Entry> entries{{0, 0, 1}, {0, 30, 2}, {1, 25, 1}, {2, 40, 1}};
  ReachedWindow w =
      first_window(entries, counting(WindowMeasure::kDistinctRules, 20, {3, kAny, {}}));
  EXPECT_TRUE(w.reached);
  EXPECT_EQ(w.start, 25);
  EXPECT_EQ(w.count, 3u);
  // The window ends before 45 s: a window of 15 s never holds all three.
  EXPECT_FALSE(
      first_window(entries, counting(WindowMeasure::kDistinctRules, 15, {3, kAny, {}})).reached);
}

TEST(CorrelationWindow, RulesInOrderFollowAtNonDecreasingTimes) {
  WindowTest test;
  test.measure = WindowMeasure::kRulesInOrder;
  test.length = 1000;
  test.rules = 3;
  // 2 at 100 ms precedes 1: the start at 0 has no rule 2 after its rule 1 at 500 ms;
  // the start at 600 ms finds rule 1 at 900 and rule 2 at 1500 (< 1600).
  std::vector<Entry> entries{{0, 0, 1},   {2, 100, 1}, {1, 500, 1},
                             {0, 600, 1}, {1, 900, 1}, {2, 1500, 1}};
  ReachedWindow w = first_window(entries, test);
  EXPECT_TRUE(w.reached);
  EXPECT_EQ(w.start, 600);
  EXPECT_EQ(w.count, 3u);
  // Equal times are in order; a step past the window's end is not.
  entries = {{0, 10, 1}, {1, 10, 1}, {2, 10, 1}};
  EXPECT_EQ(first_window(entries, test).start, 10);
  entries = {{0, 0, 1}, {1, 999, 1}, {2, 1000, 1}};
  EXPECT_FALSE(first_window(entries, test).reached);
  entries = {{2, 0, 1}, {1, 1, 1}, {0, 2, 1}};  // reversed
  EXPECT_FALSE(first_window(entries, test).reached);
}

TEST(CorrelationWindow, SumsAndAveragesOfTheWindowsNumbers) {
  // 100 twice at 0 s, 50 at 5 s, 1000 at 20 s.
  std::vector<Entry> entries{{bits(100), 0, 2}, {bits(50), 5, 1}, {bits(1000), 20, 1}};
  ReachedWindow w = first_window(entries, numeric(WindowMeasure::kSum, 10, {{{"gte", 250}}}));
  EXPECT_TRUE(w.reached);
  EXPECT_EQ(w.start, 0);
  EXPECT_EQ(w.value, 250);
  EXPECT_EQ(w.count, 3u);
  w = first_window(entries, numeric(WindowMeasure::kSum, 10, {{{"gt", 250}}}));
  EXPECT_EQ(w.start, 20);
  EXPECT_EQ(w.value, 1000);
  w = first_window(entries, numeric(WindowMeasure::kAverage, 10, {{{"lt", 90}}}));
  EXPECT_EQ(w.start, 0);  // 250 / 3
  EXPECT_NEAR(w.value, 250.0 / 3, 1e-12);
  w = first_window(entries, numeric(WindowMeasure::kAverage, 10, {{{"lt", 60}}}));
  EXPECT_EQ(w.start, 5);  // 50 alone
  // Negative numbers and fractions; an upper and a lower bound.
  entries = {{bits(-2.5), 0, 1}, {bits(0.25), 1, 4}};
  w = first_window(entries, numeric(WindowMeasure::kSum, 10, {{{"gt", -2}, {"lt", 0}}}));
  EXPECT_TRUE(w.reached);
  EXPECT_EQ(w.value, -1.5);
}

TEST(CorrelationWindow, PercentilesAreNearestRank) {
  // 20 events with the numbers 1 to 20 in one second.
  std::vector<Entry> entries;
  for (int n = 1; n <= 20; ++n) entries.push_back({bits(n), 0, 1});
  const auto percentile = [&](double p) {
    std::vector<Entry> copy = entries;
    return first_window(copy, numeric(WindowMeasure::kPercentile, 10, {{{"gte", 0}}}, p)).value;
  };
  EXPECT_EQ(percentile(95), 19);  // rank ceil(0.95 * 20) = 19
  EXPECT_EQ(percentile(50), 10);  // the lower median
  EXPECT_EQ(percentile(100), 20);
  EXPECT_EQ(percentile(0), 1);
  EXPECT_EQ(percentile(96), 20);
}

/// Whether the entries `in` of a window meet `test` (all but kRulesInOrder), the obvious way.
ReachedWindow judge(const std::vector<Entry>& in, const WindowTest& test) {
  std::uint64_t events = 0;
  long double sum = 0;
  std::set<std::uint64_t> values;
  std::vector<double> numbers;
  for (const Entry& e : in) {
    events += e.events;
    values.insert(e.value);
    const double n = std::bit_cast<double>(e.value);
    sum += static_cast<long double>(n) * e.events;
    for (std::uint64_t i = 0; i < e.events; ++i) numbers.push_back(n);
  }
  std::sort(numbers.begin(), numbers.end());
  switch (test.measure) {
    case WindowMeasure::kEvents:
      return {test.counts.contains(events), events, 0, 0, 0};
    case WindowMeasure::kDistinctValues:
    case WindowMeasure::kDistinctRules:
      return {test.counts.contains(values.size()), values.size(), 0, 0, 0};
    case WindowMeasure::kSum:
      return {test.condition.holds(static_cast<double>(sum)), events, static_cast<double>(sum), 0,
              0};
    case WindowMeasure::kAverage: {
      const auto average = static_cast<double>(sum / events);
      return {test.condition.holds(average), events, average, 0, 0};
    }
    case WindowMeasure::kPercentile: {
      const auto rank = static_cast<std::size_t>(
          std::max(1.0L, std::ceil(static_cast<long double>(test.percentile) * events / 100)));
      return {test.condition.holds(numbers[rank - 1]), events, numbers[rank - 1], 0, 0};
    }
    case WindowMeasure::kRulesInOrder:
      break;
  }
  return {};
}

/// Every window of every start, the obvious way.
ReachedWindow brute_force(std::vector<Entry> entries, const WindowTest& test) {
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.time < b.time; });
  std::set<std::int64_t> starts;
  for (const Entry& e : entries) starts.insert(e.time);
  for (const std::int64_t start : starts) {
    std::vector<Entry> in;
    for (const Entry& e : entries)
      if (e.time >= start && e.time < start + test.length) in.push_back(e);
    if (test.measure != WindowMeasure::kRulesInOrder) {
      ReachedWindow w = judge(in, test);
      if (w.reached) {
        w.start = start;
        return w;
      }
      continue;
    }
    // Depth-first over every choice of one entry per rule.
    const std::function<bool(std::size_t, std::int64_t)> follows = [&](std::size_t rule,
                                                                       std::int64_t after) {
      if (rule == test.rules) return true;
      for (const Entry& e : in)
        if (e.value == rule && e.time >= after && follows(rule + 1, e.time)) return true;
      return false;
    };
    const bool starts_rule_0 = std::any_of(
        in.begin(), in.end(), [&](const Entry& e) { return e.value == 0 && e.time == start; });
    if (starts_rule_0 && follows(1, start)) return {true, test.rules, 0, start, 0};
  }
  return {};
}

/// The events at which the window of the last `length`, (t - length, t], meets the test.
std::vector<std::int64_t> brute_force_firings(const std::vector<Entry>& entries,
                                              const WindowTest& test) {
  std::set<std::int64_t> ends;
  for (const Entry& e : entries) ends.insert(e.time);
  std::vector<std::int64_t> firings;
  for (const std::int64_t end : ends) {
    std::vector<Entry> in;
    for (const Entry& e : entries)
      if (e.time > end - test.length && e.time <= end) in.push_back(e);
    if (judge(in, test).reached) firings.push_back(end);
  }
  return firings;
}

TEST(CorrelationWindow, FiringsAreTheEventsWhoseLastTimespanMeetsTheCondition) {
  // Failures at 0, 10, 20 and 30 s; 3 in a minute: fires at the third and the fourth.
  std::vector<Entry> entries{{0, 0, 1}, {0, 10'000, 1}, {0, 20'000, 1}, {0, 30'000, 1}};
  EXPECT_EQ(firing_times(entries, counting(WindowMeasure::kEvents, 60'000, {3, kAny, {}})),
            (std::vector<std::int64_t>{20'000, 30'000}));
  // A sequence fires when it completes.
  WindowTest ordered;
  ordered.measure = WindowMeasure::kRulesInOrder;
  ordered.length = 1000;
  ordered.rules = 2;
  entries = {{0, 0, 1}, {1, 400, 1}, {0, 500, 1}, {1, 1700, 1}};
  EXPECT_EQ(firing_times(entries, ordered), (std::vector<std::int64_t>{400}));
}

TEST(CorrelationWindow, RandomGroupsMatchEveryWindowCheckedOneByOne) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 300; ++round) {
    const auto measure = static_cast<WindowMeasure>(round % 7);
    WindowTest test;
    test.measure = measure;
    test.length = 1 + static_cast<std::int64_t>(rng() % 40);
    test.rules = 3;
    test.percentile = static_cast<double>(rng() % 101);
    const std::uint64_t low = 1 + rng() % 6;
    test.counts = {low, rng() % 2 ? kAny : low + rng() % 4, {}};
    const double threshold = static_cast<double>(rng() % 60) - 10;
    test.condition = {{{rng() % 2 ? "gte" : "lt", threshold}}};
    std::vector<Entry> entries;
    for (int i = 0, n = 1 + static_cast<int>(rng() % 30); i < n; ++i) {
      const bool numbers = measure == WindowMeasure::kSum || measure == WindowMeasure::kAverage ||
                           measure == WindowMeasure::kPercentile;
      const std::uint64_t value =
          numbers ? bits(static_cast<double>(rng() % 20) - 5) : rng() % test.rules;
      entries.push_back({value, static_cast<std::int64_t>(rng() % 100), 1 + rng() % 3});
    }
    const ReachedWindow expected = brute_force(entries, test);
    if (measure != WindowMeasure::kRulesInOrder) {
      std::vector<Entry> copy = entries;
      EXPECT_EQ(firing_times(copy, test), brute_force_firings(entries, test)) << "round " << round;
    }
    for (int shuffle = 0; shuffle < 3; ++shuffle) {
      std::vector<Entry> shuffled = entries;
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      const ReachedWindow w = first_window(shuffled, test);
      ASSERT_EQ(w.reached, expected.reached) << "round " << round;
      if (!w.reached) continue;
      EXPECT_EQ(w.start, expected.start) << "round " << round;
      EXPECT_EQ(w.count, expected.count) << "round " << round;
      EXPECT_EQ(w.value, expected.value) << "round " << round;
    }
  }
}

}  // namespace
}  // namespace agentsweep::state
