/** @file
 * PartRunner: every part runs exactly once for any number of helpers, parts
 * really run at once, a long part does not hold back the others, and a
 * failing part's exception reaches the caller only after every part has ended.
 */
#include "host/state/part_runner.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace agentsweep::state {
namespace {

std::vector<std::function<void()>> counting_parts(std::vector<std::atomic<int>>& runs) {
  std::vector<std::function<void()>> parts;
  for (std::size_t i = 0; i < runs.size(); ++i) parts.emplace_back([&runs, i] { ++runs[i]; });
  return parts;
}

TEST(PartRunner, EveryPartRunsOnceForAnyNumberOfHelpers) {
  for (std::size_t helpers : {0u, 1u, 2u, 4u, 7u}) {
    PartRunner runner(helpers);
    EXPECT_EQ(runner.helpers(), helpers);
    for (std::size_t count : {0u, 1u, 2u, 5u, 9u}) {
      std::vector<std::atomic<int>> runs(count);
      const auto parts = counting_parts(runs);
      for (int round = 0; round < 3; ++round) runner.run(parts);
      for (std::size_t i = 0; i < count; ++i)
        EXPECT_EQ(runs[i].load(), 3) << helpers << " helpers, part " << i << " of " << count;
    }
  }
}

TEST(PartRunner, PartsRunAtOnce) {
  PartRunner runner(2);
  std::atomic<int> arrived{0};
  std::atomic<int> saw_all{0};
  // Each part waits (up to 10 s) until all three have started: only parts that
  // run at once all see the others.
  const auto meet = [&] {
    ++arrived;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (arrived < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    if (arrived == 3) ++saw_all;
  };
  const std::vector<std::function<void()>> parts{meet, meet, meet};
  runner.run(parts);
  EXPECT_EQ(saw_all.load(), 3);
}

TEST(PartRunner, ALongPartDoesNotHoldBackTheParts) {
  PartRunner runner(1);
  std::atomic<int> short_parts_ended{0};
  bool others_ran_meanwhile = false;
  // The first part lasts until the three others have ended (up to 10 s): only
  // a free thread taking every next part lets them end meanwhile.
  const auto long_part = [&] {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (short_parts_ended < 3 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
    others_ran_meanwhile = short_parts_ended == 3;
  };
  const auto short_part = [&] { ++short_parts_ended; };
  const std::vector<std::function<void()>> parts{long_part, short_part, short_part, short_part};
  runner.run(parts);
  EXPECT_TRUE(others_ran_meanwhile);
  EXPECT_EQ(short_parts_ended.load(), 3);
}

TEST(PartRunner, AFailingPartIsRethrownAfterEveryPartEnded) {
  PartRunner runner(2);
  std::atomic<int> ended{0};
  const std::vector<std::function<void()>> parts{
      [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        ++ended;
      },
      [] { throw std::runtime_error("part 2 failed"); },
      [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        ++ended;
      }};
  EXPECT_THROW(
      {
        try {
          runner.run(parts);
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "part 2 failed");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_EQ(ended.load(), 2);
  // The runner still works after a failure.
  std::vector<std::atomic<int>> runs(4);
  runner.run(counting_parts(runs));
  for (const auto& r : runs) EXPECT_EQ(r.load(), 1);
}

}  // namespace
}  // namespace agentsweep::state
