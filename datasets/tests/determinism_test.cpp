/** @file Same options and seed give the same bytes for any thread count; seeds matter. */
#include <gtest/gtest.h>

#include <map>

#include "generator.hpp"
#include "test_support.hpp"

namespace agentsweep::gen::testing {
namespace {

/** Every output file's raw bytes, by name. */
std::map<std::string, std::string> run(const std::string& name, GeneratorOptions options) {
  options.out_dir = fresh_directory(name);
  generate(options);
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(options.out_dir)) {
    files[entry.path().filename().string()] = read_file(entry.path());
  }
  std::filesystem::remove_all(options.out_dir);
  return files;
}

GeneratorOptions tiny() {
  GeneratorOptions options = small_options({});
  options.events = 30'000;
  options.days = 2;
  options.agents = 5'000;
  options.operators = 80;
  options.fleet_jump_agents = 40;
  options.frame_size = 64 << 10;  // several frames per file
  options.incidents.fill(1);
  options.incidents[static_cast<std::size_t>(IncidentKind::kDormantWake)] = 0;
  return options;
}

TEST(Determinism, SameBytesForAnyThreadCount) {
  GeneratorOptions options = tiny();
  options.threads = 1;
  const auto one = run("threads1", options);
  options.threads = 2;
  const auto two = run("threads2", options);
  options.threads = 5;
  const auto five = run("threads5", options);
  ASSERT_EQ(one.size(), 3u);  // two days and ground_truth.json
  EXPECT_TRUE(one == two);
  EXPECT_TRUE(one == five);
}

TEST(Determinism, DifferentSeedDifferentBytes) {
  GeneratorOptions options = tiny();
  const auto first = run("seed7", options);
  options.seed = 8;
  const auto second = run("seed8", options);
  ASSERT_EQ(first.size(), second.size());
  for (const auto& [name, bytes] : first) EXPECT_NE(bytes, second.at(name)) << name;
}

TEST(Determinism, HourlyFilesHoldTheDailyStream) {
  GeneratorOptions options = tiny();
  options.days = 1;
  options.plain = true;
  const auto daily = run("daily", options);
  options.per_hour = true;
  const auto hourly = run("hourly", options);
  ASSERT_EQ(hourly.size(), 25u);
  std::string joined;
  for (const auto& [name, bytes] : hourly) {
    if (name != kGroundTruthFileName) joined += bytes;
  }
  EXPECT_TRUE(joined == daily.at("2026-03-01.jsonl"));
}

TEST(Determinism, ZstdDecodesToThePlainBytes) {
  GeneratorOptions options = tiny();
  options.days = 1;
  options.plain = true;
  const auto plain = run("plain", options);
  options.plain = false;
  options.out_dir = fresh_directory("zstd");
  generate(options);
  EXPECT_TRUE(read_log(options.out_dir / "2026-03-01.jsonl.zst") == plain.at("2026-03-01.jsonl"));
  std::filesystem::remove_all(options.out_dir);
}

}  // namespace
}  // namespace agentsweep::gen::testing
