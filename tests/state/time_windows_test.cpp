/** @file
 * Busiest windows: boundaries, repeated seconds from different batches, and
 * independence from the order counts arrive in.
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
}  // namespace agentsweep::state
