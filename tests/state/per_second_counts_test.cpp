/** @file
 * The per-second store's 16-byte records (second and events in one word): the
 * farthest timestamps fit, a count larger than a record holds is kept in
 * several records, full but the last whatever the order it came in, and read
 * back whole, spilled or not; a saved state carries it whole, and saved again
 * after loading it is the same bytes.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "host/state/scan_state.hpp"
#include "host/state/spill_runs.hpp"
#include "host/state/state_file.hpp"

namespace agentsweep::state {
namespace {

constexpr std::int64_t kYear0 = -62167219200;        // 0000-01-01T00:00:00Z
constexpr std::int64_t kYear9999End = 253402300799;  // 9999-12-31T23:59:59Z

TEST(PerSecondCounts, TheFarthestTimestampsFitARecord) {
  for (const std::int64_t second :
       {AgentSecond::kMinSecond, kYear0 - 86400, std::int64_t{-1}, std::int64_t{0},
        std::int64_t{1772368496}, kYear9999End + 86400, AgentSecond::kMaxSecond}) {
    ASSERT_TRUE(AgentSecond::holds_second(second)) << second;
    const AgentSecond record(42, second, AgentSecond::kMaxEvents);
    EXPECT_EQ(record.second(), second);
    EXPECT_EQ(record.events(), AgentSecond::kMaxEvents);
  }
  EXPECT_TRUE(AgentSecond::less(AgentSecond(1, -5, 9), AgentSecond(1, 3, 1)));
  EXPECT_TRUE(AgentSecond::same(AgentSecond(1, 3, 9), AgentSecond(1, 3, 1)));
  EXPECT_FALSE(AgentSecond::holds_second(AgentSecond::kMaxSecond + 1));
  EXPECT_FALSE(AgentSecond::holds_second(AgentSecond::kMinSecond - 1));
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// Seconds per agent, as the state hands them to the reports.
std::map<std::uint64_t, std::map<std::int64_t, std::uint64_t>> seconds_of(const ScanState& state) {
  std::map<std::uint64_t, std::map<std::int64_t, std::uint64_t>> out;
  state.each_agent_seconds([&](std::uint64_t agent, std::vector<SecondCount>& seconds) {
    EXPECT_TRUE(out.find(agent) == out.end()) << "agent " << agent << " visited twice";
    std::int64_t previous = AgentSecond::kMinSecond - 1;
    for (const SecondCount& s : seconds) {
      EXPECT_GT(s.second, previous) << "seconds of agent " << agent << " not ascending";
      previous = s.second;
      out[agent][s.second] = s.events;
    }
  });
  return out;
}

TEST(PerSecondCounts, CountsBeyondOneRecordAreReadWholeSpilledOrNot) {
  const std::uint64_t max = AgentSecond::kMaxEvents;
  const std::string ids = "alpha beta";
  engine::BatchResult batch;
  batch.bytes = ids.data();
  batch.agents = {{7, {0, 5, false}, 1, 0, 0, 0, 0}, {8, {6, 4, false}, 1, 0, 0, 0, 0}};
  // Agent 7's second 100 sums past a record three times over, in pieces that
  // fill records up and overflow them; its other seconds and agent 8 are small.
  batch.agent_seconds = {{7, 100, max},     {7, 100, 5}, {8, 100, 1},      {7, 99, 2},
                         {7, 100, max + 3}, {7, 101, 1}, {7, 100, max - 1}};
  const std::map<std::uint64_t, std::map<std::int64_t, std::uint64_t>> expected = {
      {7, {{99, 2}, {100, 3 * max + 7}, {101, 1}}}, {8, {{100, 1}}}};

  for (const std::size_t memory : {std::size_t{4} << 10, std::size_t{64} << 20}) {
    ScanState state(0, 0, 0, 0, {memory, ""});
    const std::uint32_t file = state.add_file("f");
    for (int copy = 0; copy < 200; ++copy) state.add_batch(file, batch);  // spills at 4 KiB
    std::map<std::uint64_t, std::map<std::int64_t, std::uint64_t>> times_200 = expected;
    for (auto& [agent, seconds] : times_200)
      for (auto& [second, events] : seconds) events *= 200;
    EXPECT_EQ(seconds_of(state), times_200) << "state memory " << memory;
    if (memory == std::size_t{4} << 10) {
      EXPECT_GT(state.spill_stats().runs, 0u);
    }

    const std::string path =
        (std::filesystem::temp_directory_path() / "agentsweep-per-second-test.state").string();
    save_state(path, state, "setup");
    const std::string saved = file_bytes(path);
    const SavedState loaded = load_state(path, {memory, ""});
    EXPECT_EQ(seconds_of(loaded.state), times_200) << "saved and loaded, memory " << memory;
    save_state(path, loaded.state, "setup");
    EXPECT_EQ(file_bytes(path), saved) << "saved again, memory " << memory;
    std::filesystem::remove(path);
  }
}

TEST(PerSecondCounts, ACountTooLargeForOneRecordIsHeldTheSameWayWhateverTheOrder) {
  // Full records, then the rest: the same records (and so the same state
  // file) however the pieces came, merged in memory or across spilled runs.
  const std::uint64_t max = AgentSecond::kMaxEvents;
  std::vector<AgentSecond> pieces = {{3, 10, max - 2}, {3, 10, 7}, {3, 10, max},
                                     {3, 10, 5},       {3, 9, 1},  {3, 10, max - 1}};
  std::vector<std::vector<std::pair<std::int64_t, std::uint64_t>>> reads;
  for (int order = 0; order < 4; ++order) {
    std::rotate(pieces.begin(), pieces.begin() + 1, pieces.end());
    for (const std::size_t memory : {std::size_t{1} << 10, std::size_t{1} << 20}) {
      SpillRuns<AgentSecond> store({memory, ""});
      for (int copy = 0; copy < 30; ++copy)
        for (AgentSecond piece : pieces) store.add(piece);
      auto& read = reads.emplace_back();
      store.for_each([&](const AgentSecond& r) { read.push_back({r.second(), r.events()}); });
    }
  }
  const std::uint64_t total = 30 * (3 * max + 9);  // second 10
  std::vector<std::pair<std::int64_t, std::uint64_t>> expected = {{9, 30}};
  for (std::uint64_t left = total; left > 0; left -= std::min(left, max))
    expected.push_back({10, std::min(left, max)});
  for (const auto& read : reads) EXPECT_EQ(read, expected);
}

}  // namespace
}  // namespace agentsweep::state
