/** @file
 * The progress line: what it says, that it redraws in place at most a few
 * times a second, and that finish() leaves the terminal line clean.
 */
#include "cli/scan_progress.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace agentsweep::cli {
namespace {

TEST(ProgressLine, SaysBytesOfTotalRateAndTimeLeftThenClearsItself) {
  std::ostringstream out;
  ProgressLine line(out, std::uint64_t{4} << 30);
  line.update({std::uint64_t{1} << 30, 2'000'000});
  const std::string drawn = out.str();
  EXPECT_EQ(drawn.rfind("\r\033[K", 0), 0u) << "redrawn in place";
  EXPECT_NE(drawn.find("1.0 GiB of 4.0 GiB (25.0%)"), std::string::npos) << drawn;
  EXPECT_NE(drawn.find("M events/s"), std::string::npos) << drawn;
  EXPECT_NE(drawn.find(" left"), std::string::npos) << drawn;
  EXPECT_EQ(drawn.find('\n'), std::string::npos) << "one line, never scrolling";

  line.update({std::uint64_t{2} << 30, 4'000'000});  // right away: not redrawn yet
  EXPECT_EQ(out.str(), drawn);
  line.finish();
  EXPECT_EQ(out.str(), drawn + "\r\033[K");
}

TEST(ProgressLine, NothingDrawnNothingCleared) {
  std::ostringstream out;
  ProgressLine(out, 0).finish();
  EXPECT_TRUE(out.str().empty());
}

TEST(StageStats, EveryStageHasItsSecondsAndTheThreadsAreNamed) {
  std::ostringstream out;
  pipeline::PipelineStats stats;
  stats.decode_workers = 3;
  stats.scan_lanes = 2;
  stats.decode_seconds = 4.5;
  stats.backend_seconds = 1.25;
  stats.total_seconds = 2;
  state::MergePartSeconds parts;
  parts.agents = 1.75;
  parts.operators = 0.25;
  parts.threads = 3;
  print_stage_stats(out, stats, parts, 0.5);
  const std::string table = out.str();
  EXPECT_NE(table.find("4.50 s  (summed over 3 decode threads)"), std::string::npos) << table;
  EXPECT_NE(table.find("1.25 s  (summed over 2 lanes)"), std::string::npos) << table;
  EXPECT_NE(table.find("agents                                         1.75 s  (these five parts "
                       "side by side)"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("operators                                      0.25 s\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("2.50 s"), std::string::npos) << "total includes the report:\n" << table;

  std::ostringstream sharded;
  parts.shards = 4;
  parts.threads = 4;
  print_stage_stats(sharded, stats, parts, 0.5);
  EXPECT_NE(sharded.str().find("1.75 s  (each map summed over 4 shards, on 4 threads)"),
            std::string::npos)
      << sharded.str();
}

}  // namespace
}  // namespace agentsweep::cli
