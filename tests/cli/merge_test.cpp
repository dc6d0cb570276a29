/** @file
 * Saved states and `agentsweep merge`: scanning A and B together, or A and B
 * separately and merging their states, gives the same report; states of
 * different setups and damaged state files are refused with a clear error.
 */
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep {
namespace {

using testing::ChildResult;
using testing::TempDir;

/// Events of 40 agents under 6 operators over an hour, some with a secret;
/// `seed` varies the mix so A and B share some agents, keys and operators.
std::string audit_log(unsigned seed, int events) {
  std::mt19937 rng(seed);
  std::string text;
  for (int i = 0; i < events; ++i) {
    const auto agent = static_cast<unsigned>(rng() % 40);
    const auto second = static_cast<unsigned>(rng() % 3600);
    char ts[40];
    std::snprintf(ts, sizeof ts, "2026-03-01T10:%02u:%02u.%03uZ", second / 60, second % 60,
                  static_cast<unsigned>(rng() % 1000));
    text += R"({"ts":")" + std::string(ts) + R"(","actor":{"agent_id":"agt_)" +
            std::to_string(agent) + R"(","operator_id":)" +
            (agent % 13 == 0 ? std::string("null") : "\"op_" + std::to_string(agent % 6) + "\"") +
            R"(},"auth":{"api_key_id":"key_)" + std::to_string(agent % 37) +
            R"("},"request":{"ip":"10.0.)" + std::to_string(rng() % 4) + "." +
            std::to_string(agent) + R"("},"content":")" +
            (rng() % 50 == 0 ? "AKIAIOSFODNN7EXAMPLE" : "hello") + "\"}\n";
  }
  return text;
}

ChildResult agentsweep(const std::vector<std::string>& arguments, const TempDir& dir) {
  std::vector<std::string> argv{AGENTSWEEP_BINARY};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return testing::run_child(argv, dir.path());
}

/// A JSON report without the backend's name, which scans and merges tell apart.
nlohmann::json report_without_backend(const std::string& out) {
  nlohmann::json report = nlohmann::json::parse(out);
  report.erase("backend");
  return report;
}

class Merge : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = dir_.write("a.jsonl", audit_log(1, 3000)).string();
    b_ = dir_.write("b.jsonl", audit_log(2, 2500)).string();
    state_a_ = (dir_.path() / "a.state").string();
    state_b_ = (dir_.path() / "b.state").string();
  }

  std::vector<std::string> scan_args(std::vector<std::string> inputs) const {
    std::vector<std::string> args{"scan", "--backend",       "cpu", "-q", "--json", "--top", "0",
                                  "-e",   "AKIA[0-9A-Z]{16}"};
    args.insert(args.end(), inputs.begin(), inputs.end());
    return args;
  }

  TempDir dir_;
  std::string a_, b_, state_a_, state_b_;
};

TEST_F(Merge, SeparateScansMergedEqualOneScanOfEverything) {
  const ChildResult together = agentsweep(scan_args({a_, b_}), dir_);
  ASSERT_EQ(together.exit_code, 1) << together.err;
  std::vector<std::string> scan_a = scan_args({a_});
  scan_a.insert(scan_a.end(), {"--save-state", state_a_});
  std::vector<std::string> scan_b = scan_args({b_});
  scan_b.insert(scan_b.end(), {"--save-state", state_b_});
  ASSERT_EQ(agentsweep(scan_a, dir_).exit_code, 1);
  ASSERT_EQ(agentsweep(scan_b, dir_).exit_code, 1);

  const ChildResult merged =
      agentsweep({"merge", "--json", "--top", "0", state_a_, state_b_}, dir_);
  ASSERT_EQ(merged.exit_code, 1) << merged.err;
  const nlohmann::json expected = report_without_backend(together.out);
  nlohmann::json found = report_without_backend(merged.out);
  EXPECT_EQ(found, expected);
  EXPECT_GT(found["totals"]["agents"].get<int>(), 30);  // the figures are not trivially empty
  EXPECT_GT(found["patterns"][0]["lines"].get<int>(), 0);

  // A merged state merges again: ((A, B)) is (A, B).
  const std::string state_ab = (dir_.path() / "ab.state").string();
  ASSERT_EQ(agentsweep({"merge", "--save-state", state_ab, state_a_, state_b_}, dir_).exit_code, 1);
  EXPECT_EQ(
      report_without_backend(agentsweep({"merge", "--json", "--top", "0", state_ab}, dir_).out),
      expected);
}

// The next state loads on a thread of its own while one merges (not with -j 1): four states
// still merge, in the order given, to the scan of their four inputs, and a damaged third one is
// the error.
TEST_F(Merge, StatesLoadedAheadMergeInTheOrderGiven) {
  std::vector<std::string> logs;
  std::vector<std::string> merge{"merge", "--json", "--top", "0"};
  for (unsigned part = 0; part < 4; ++part) {
    const std::string name = "part" + std::to_string(part);
    logs.push_back(dir_.write(name + ".jsonl", audit_log(10 + part, 1500)).string());
    merge.push_back((dir_.path() / (name + ".state")).string());
    std::vector<std::string> scan = scan_args({logs.back()});
    scan.insert(scan.end(), {"--save-state", merge.back()});
    ASSERT_NE(agentsweep(scan, dir_).exit_code, 2);
  }
  const ChildResult together = agentsweep(scan_args(logs), dir_);
  ASSERT_EQ(together.exit_code, 1) << together.err;
  const ChildResult merged = agentsweep(merge, dir_);
  ASSERT_EQ(merged.exit_code, 1) << merged.err;
  EXPECT_EQ(report_without_backend(merged.out), report_without_backend(together.out));
  std::vector<std::string> one_at_a_time = merge;
  one_at_a_time.insert(one_at_a_time.begin() + 1, {"-j", "1"});
  EXPECT_EQ(agentsweep(one_at_a_time, dir_).out, merged.out);

  merge[merge.size() - 2] = dir_.write("damaged.state", "agentsweep-state\n").string();
  const ChildResult r = agentsweep(merge, dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("damaged.state: offset "), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");  // no report of the states before it
}

// Per-second counts spill under a tiny --state-memory: the report, busiest windows included,
// is the same byte for byte, and so is the merge of states written and read that way.
TEST_F(Merge, ATinyStateMemorySpillsAndChangesNothing) {
  const ChildResult ample = agentsweep(scan_args({a_, b_}), dir_);
  ASSERT_EQ(ample.exit_code, 1) << ample.err;
  const std::vector<std::string> tiny{"--state-memory", "4K", "--temp-dir", dir_.path().string()};
  std::vector<std::string> spilling = scan_args({a_, b_});
  spilling.insert(spilling.end(), tiny.begin(), tiny.end());
  spilling.push_back("--stats");
  const ChildResult spilled = agentsweep(spilling, dir_);
  ASSERT_EQ(spilled.exit_code, 1) << spilled.err;
  EXPECT_EQ(spilled.out, ample.out);
  EXPECT_NE(spilled.err.find("Spilled to " + dir_.path().string()), std::string::npos)
      << spilled.err;
  EXPECT_GT(nlohmann::json::parse(ample.out)["top_agents_by_burst"][0]["busiest_window"]["events"]
                .get<int>(),
            1);  // windows are not trivially empty

  for (const auto& [input, state] : {std::pair{a_, state_a_}, std::pair{b_, state_b_}}) {
    std::vector<std::string> scan = scan_args({input});
    scan.insert(scan.end(), tiny.begin(), tiny.end());
    scan.insert(scan.end(), {"--save-state", state});
    ASSERT_EQ(agentsweep(scan, dir_).exit_code, 1);
  }
  std::vector<std::string> merge{"merge", "--json", "--top", "0", state_a_, state_b_};
  merge.insert(merge.end(), tiny.begin(), tiny.end());
  const ChildResult merged = agentsweep(merge, dir_);
  ASSERT_EQ(merged.exit_code, 1) << merged.err;
  const nlohmann::json expected = report_without_backend(ample.out);
  nlohmann::json found = report_without_backend(merged.out);
  EXPECT_EQ(found, expected);
  // Spilled runs are unlinked as soon as they are made: nothing is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path()))
    EXPECT_EQ(entry.path().filename().string().find("agentsweep-spill"), std::string::npos)
        << entry.path();
}

TEST_F(Merge, AnUnwritableTempDirIsAnErrorThatSaysWhatToDo) {
  std::vector<std::string> scan = scan_args({a_, b_});
  scan.insert(scan.end(), {"--state-memory", "4K", "--temp-dir", "/nonexistent/spill"});
  const ChildResult r = agentsweep(scan, dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/spill"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--temp-dir"), std::string::npos) << r.err;
}

TEST_F(Merge, StatesOfOtherSetupsAreRefused) {
  std::vector<std::string> scan_a = scan_args({a_});
  scan_a.insert(scan_a.end(), {"--save-state", state_a_});
  ASSERT_EQ(agentsweep(scan_a, dir_).exit_code, 1);
  ASSERT_EQ(agentsweep({"scan", "-q", "-e", "other", b_, "--save-state", state_b_}, dir_).exit_code,
            0);
  const ChildResult r = agentsweep({"merge", state_a_, state_b_}, dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("scanned with other patterns, rules or entity fields"), std::string::npos)
      << r.err;
}

TEST_F(Merge, DamagedStateFilesAreErrorsWithAnOffset) {
  std::vector<std::string> scan_a = scan_args({a_});
  scan_a.insert(scan_a.end(), {"--save-state", state_a_});
  ASSERT_EQ(agentsweep(scan_a, dir_).exit_code, 1);
  std::ifstream in(state_a_, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), {}};

  // Cut in the middle: a length or count then reaches past the end.
  const auto half = dir_.write("half.state", bytes.substr(0, bytes.size() / 2));
  ChildResult r = agentsweep({"merge", half.string()}, dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("half.state: offset "), std::string::npos) << r.err;
  // Cut inside the last number.
  const auto truncated = dir_.write("truncated.state", bytes.substr(0, bytes.size() - 6));
  r = agentsweep({"merge", truncated.string()}, dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("ends early"), std::string::npos) << r.err;

  // The file's last count (the end of the correlation entries, just before "end\n") made huge.
  std::string huge_count = bytes;
  huge_count.replace(huge_count.size() - 12, 8, std::string(8, '\xff'));
  r = agentsweep({"merge", dir_.write("corrupt.state", huge_count).string()}, dir_);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("a count larger than the file"), std::string::npos) << r.err;

  // A state of an older format: its version, right after the magic line.
  std::string old_format = bytes;
  old_format[std::string("agentsweep-state\n").size()] = '\x09';
  r = agentsweep({"merge", dir_.write("old.state", old_format).string()}, dir_);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("state file format 9, this agentsweep reads 10"), std::string::npos)
      << r.err;

  r = agentsweep({"merge", a_}, dir_);  // a log, not a state
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not an agentsweep state file"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace agentsweep
