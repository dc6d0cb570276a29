/** @file
 * Busiest windows and correlation windows: boundaries, repeated seconds from
 * different batches, conditions with upper bounds, and independence from the
 * order counts arrive in.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "host/state/time_windows.hpp"

namespace agentsweep::state {
namespace {

TEST(BusiestWindow, AWindowIsSixtyWholeSecondsStartingAtAnEvent) {
  // 100 s and 159 s are in the window starting at 100 s; 160 s is not.
  std::vector<SecondCount> seconds{{100, 1}, {159, 1}, {160, 1}};
  BusiestWindow w = busiest_window(seconds, 60);
  EXPECT_EQ(w.events, 2u);
  EXPECT_EQ(w.start_second, 100);

  seconds = {{100, 1}, {160, 1}, {219, 1}};
  w = busiest_window(seconds, 60);
  EXPECT_EQ(w.events, 2u);
  EXPECT_EQ(w.start_second, 160);  // [100, 160) holds only one
}

TEST(BusiestWindow, RepeatedSecondsAddUpAndTheEarliestBestWindowWins) {
  std::vector<SecondCount> seconds{{-30, 2}, {500, 3}, {-30, 2}, {10, 1}, {520, 1}};
  const BusiestWindow w = busiest_window(seconds, 60);
  EXPECT_EQ(w.events, 5u);  // -30 (2 + 2) and 10 (1); 500 and 520 make 4
  EXPECT_EQ(w.start_second, -30);
  ASSERT_EQ(seconds.size(), 4u);  // merged and sorted
  EXPECT_EQ(seconds.front().events, 4u);
}

TEST(BusiestWindow, EmptyHasNoWindow) {
  std::vector<SecondCount> none;
  EXPECT_EQ(busiest_window(none, 60).events, 0u);
}

TEST(BusiestWindow, OrderOfArrivalNeverMatters) {
  std::mt19937_64 rng(3);
  std::vector<SecondCount> seconds;
  for (int i = 0; i < 2000; ++i)
    seconds.push_back({static_cast<std::int64_t>(rng() % 5000), 1 + rng() % 3});
  // Brute force over every whole-second start; the reported window begins at
  // its first event, so starts without events are skipped.
  std::uint64_t best = 0;
  std::int64_t best_start = 0;
  for (std::int64_t s = 0; s < 5000; ++s) {
    if (std::none_of(seconds.begin(), seconds.end(),
                     [s](const SecondCount& c) { return c.second == s; }))
      continue;
    std::uint64_t sum = 0;
    for (const SecondCount& c : seconds) sum += c.second >= s && c.second < s + 60 ? c.events : 0;
    if (sum > best) {
      best = sum;
      best_start = s;
    }
  }
  for (int round = 0; round < 5; ++round) {
    std::shuffle(seconds.begin(), seconds.end(), rng);
    std::vector<SecondCount> copy = seconds;
    const BusiestWindow w = busiest_window(copy, 60);
    EXPECT_EQ(w.events, best);
    EXPECT_EQ(w.start_second, best_start);
  }
}

}  // namespace
using Entry = CorrelationGroup::Entry;
constexpr std::uint64_t kAny = engine::CountRange::kUnbounded;

/// Events at 0, 1, 2, 100, 101 and 500 s, one each: 10 s windows starting at
/// those seconds hold 3, 2, 1, 2, 1 and 1 events.
std::vector<Entry> spread_events() {
  return {{7, 101, 1}, {7, 0, 1}, {7, 500, 1}, {7, 2, 1}, {7, 100, 1}, {7, 1, 1}};
}

TEST(CorrelationWindow, TheEarliestWindowWhoseCountMeetsTheCondition) {
  const auto first = [](const engine::CountRange& counts) {
    std::vector<Entry> entries = spread_events();
    return first_window_counting(entries, 10, counts, false);
  };
  ReachedWindow w = first({3, kAny, {}});  // gte 3
  EXPECT_TRUE(w.reached);
  EXPECT_EQ(w.start_second, 0);
  EXPECT_EQ(w.count, 3u);
  w = first({1, 1, {}});  // lte 1: the window at 2 s holds that event alone
  EXPECT_TRUE(w.reached);
  EXPECT_EQ(w.start_second, 2);
  EXPECT_EQ(w.count, 1u);
  w = first({2, 2, {}});  // eq 2
  EXPECT_EQ(w.start_second, 1);
  w = first({2, kAny, {3}});  // gte 2 and neq 3
  EXPECT_EQ(w.start_second, 1);
  EXPECT_FALSE(first({4, kAny, {}}).reached);
  EXPECT_FALSE(first({4, 9, {}}).reached);
}

TEST(CorrelationWindow, DistinctValuesCountOncePerWindow) {
  // Values 1, 1, 2 in [0, 10); value 3 alone at 50 s.
  std::vector<Entry> entries{{1, 0, 4}, {1, 5, 1}, {2, 9, 1}, {3, 50, 2}};
  ReachedWindow w = first_window_counting(entries, 10, {2, kAny, {}}, true);
  EXPECT_TRUE(w.reached);
  EXPECT_EQ(w.count, 2u);
  EXPECT_EQ(w.start_second, 0);
  w = first_window_counting(entries, 10, {1, 1, {}}, true);  // one distinct value
  EXPECT_EQ(w.start_second, 9);
  w = first_window_counting(entries, 10, {6, 6, {}}, false);  // 4 + 1 + 1 events
  EXPECT_EQ(w.start_second, 0);
}

TEST(CorrelationWindow, OrderOfArrivalNeverMatters) {
  std::mt19937_64 rng(5);
  std::vector<Entry> entries;
  for (int i = 0; i < 500; ++i)
    entries.push_back({rng() % 4, static_cast<std::int64_t>(rng() % 2000), 1 + rng() % 2});
  for (const engine::CountRange& counts :
       {engine::CountRange{5, kAny, {}}, engine::CountRange{1, 2, {}},
        engine::CountRange{3, 7, {4, 5}}}) {
    std::vector<Entry> sorted = entries;
    const ReachedWindow expected = first_window_counting(sorted, 60, counts, false);
    for (int shuffle = 0; shuffle < 5; ++shuffle) {
      std::vector<Entry> shuffled = entries;
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      const ReachedWindow w = first_window_counting(shuffled, 60, counts, false);
      EXPECT_EQ(w.reached, expected.reached);
      EXPECT_EQ(w.start_second, expected.start_second);
      EXPECT_EQ(w.count, expected.count);
    }
  }
}

}  // namespace agentsweep::state
