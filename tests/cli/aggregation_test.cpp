/** @file
 * Per-agent, per-operator and per-key figures through the agentsweep binary on
 * hand-made logs with known answers: window boundaries, timestamps out of
 * order across files, one agent split over batches and files, missing and
 * unparseable timestamps. The whole-dataset comparison with DuckDB is
 * tests/oracle/duckdb_aggregation_test.py.
 */
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep {
namespace {

using testing::TempDir;

std::string event(const std::string& agent, const std::string& op, const std::string& key,
                  const std::string& ip, const std::string& ts) {
  return R"({"ts":)" + ts + R"(,"actor":{"agent_id":")" + agent + R"(","operator_id":)" + op +
         R"(},"auth":{"api_key_id":")" + key + R"("},"request":{"ip":")" + ip + "\"}}\n";
}

nlohmann::json scan(const std::vector<std::string>& arguments, const TempDir& dir) {
  std::vector<std::string> argv{AGENTSWEEP_BINARY, "scan",  "--backend", "cpu", "-q",
                                "--json",          "--top", "0"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  const testing::ChildResult r = testing::run_child(argv, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

const nlohmann::json& agent(const nlohmann::json& report, const std::string& id) {
  for (const nlohmann::json& a : report["top_agents_by_events"])
    if (a["id"] == id) return a;
  throw std::runtime_error("agent " + id + " not in the report");
}

class Aggregation : public ::testing::Test {
 protected:
  void SetUp() override {
    // Agent a's events, out of order and split over two files. The busiest
    // 60 s window starts at 10:00:30 and holds 4: [10:00:30, 10:01:30).
    // 10:01:30.000 is just outside it.
    late_ = dir_.write("late.jsonl",
                       event("a", "\"op1\"", "k1", "10.0.0.1", "\"2026-03-01T10:01:00.500Z\"") +
                           event("a", "\"op1\"", "k1", "10.0.0.1", "\"2026-03-01T10:00:59.999Z\"") +
                           event("a", "\"op1\"", "k1", "10.0.0.2", "\"2026-03-01T10:01:30.000Z\"") +
                           event("b", "\"op2\"", "k1", "10.0.0.3", "\"2026-03-01T09:00:00Z\"") +
                           event("b", "null", "k2", "10.0.0.3", "\"not a time\""));
    early_ = dir_.write(
        "early.jsonl",
        event("a", "\"op1\"", "k1", "10.0.0.1", "\"2026-03-01T10:00:00.000Z\"") +
            event("a", "\"op1\"", "k1", "10.0.0.1", "\"2026-03-01T10:00:30.000Z\"") +
            event("a", "\"op1\"", "k1", "10.0.0.1", "\"2026-03-01T10:01:00.000Z\"") +
            event("b", "\"op1\"", "k2", "10.0.0.3", "null") +
            event("c", "null", "k3", "10.0.0.4", "1772359200") +
            R"({"actor":{"agent_id":"c"},"auth":{"api_key_id":"k3"},"request":{"ip":"10.0.0.4"}})"
            "\n");
  }

  TempDir dir_;
  std::filesystem::path late_;
  std::filesystem::path early_;
};

TEST_F(Aggregation, FiguresPerAgentOperatorAndKeyAreExact) {
  const nlohmann::json r = scan({late_.string(), early_.string()}, dir_);
  const nlohmann::json& t = r["totals"];
  EXPECT_EQ(t["events"], 11);
  EXPECT_EQ(t["agents"], 3);
  EXPECT_EQ(t["operators"], 2);
  EXPECT_EQ(t["keys"], 3);
  EXPECT_EQ(t["ips"], 4);
  EXPECT_EQ(t["events_without_operator"], 3);  // null twice, absent once
  EXPECT_EQ(t["events_without_time"], 2);      // null and absent: counted, not dropped
  EXPECT_EQ(t["events_with_invalid_time"], 1);

  const nlohmann::json& a = agent(r, "a");
  EXPECT_EQ(a["events"], 6);
  EXPECT_EQ(a["operators"], 1);
  EXPECT_EQ(a["keys"], 1);
  EXPECT_EQ(a["ips"], 2);
  EXPECT_EQ(a["first_seen"], "2026-03-01T10:00:00.000Z");
  EXPECT_EQ(a["last_seen"], "2026-03-01T10:01:30.000Z");
  EXPECT_EQ(a["busiest_window"]["events"], 4);
  EXPECT_EQ(a["busiest_window"]["start"], "2026-03-01T10:00:30.000Z");

  const nlohmann::json& b = agent(r, "b");
  EXPECT_EQ(b["operators"], 2);
  EXPECT_EQ(b["first_seen"], "2026-03-01T09:00:00.000Z");  // only one valid time
  EXPECT_EQ(b["last_seen"], "2026-03-01T09:00:00.000Z");
  EXPECT_EQ(b["busiest_window"]["events"], 1);

  const nlohmann::json& c = agent(r, "c");
  EXPECT_EQ(c["operators"], 0);
  EXPECT_EQ(c["first_seen"], "2026-03-01T10:00:00.000Z");  // epoch seconds

  EXPECT_EQ(r["fleet"]["orphan_agents"], 1);
  EXPECT_EQ(r["fleet"]["agents_with_several_operators"], 1);
  EXPECT_EQ(r["fleet"]["keys_with_several_agents"], 1);  // k1: a and b
  ASSERT_EQ(r["shared_keys"].size(), 1u);
  EXPECT_EQ(r["shared_keys"][0]["id"], "k1");
  EXPECT_EQ(r["shared_keys"][0]["agents"], 2);
  EXPECT_EQ(r["shared_keys"][0]["events"], 7);
  ASSERT_EQ(r["top_operators"].size(), 2u);
  EXPECT_EQ(r["top_operators"][0]["id"], "op1");
  EXPECT_EQ(r["top_operators"][0]["agents"], 2);
  EXPECT_EQ(r["agents_with_several_operators"][0]["id"], "b");
}

TEST_F(Aggregation, FileOrderAndBatchBoundariesNeverChangeTheReport) {
  // 200 bytes hold one line: every event is a batch of its own.
  nlohmann::json reference = scan({late_.string(), early_.string()}, dir_);
  reference.erase("files");
  for (const std::string batch : {"200", "300", "1K"}) {
    nlohmann::json r = scan({"--batch-size", batch, early_.string(), late_.string()}, dir_);
    r.erase("files");
    EXPECT_EQ(r, reference) << "--batch-size " << batch;
  }
}

TEST(AgentOrder, EqualCountsListAgentsInTheByteOrderOfTheirIds) {
  // Ids that share their first 16 bytes, that differ only past an id's end ("abc" and "abc"
  // with a NUL), and bytes over 0x7f (UTF-8): each agent has one event, so every list of
  // them is in id order alone.
  const std::vector<std::string> ids{"agent-with-a-long-prefix-b",
                                     "agent-with-a-long-prefix-a",
                                     "abc\\u0000",
                                     "abc",
                                     "ab",
                                     "\xc3\xa9-agent",
                                     "z",
                                     "agt_10",
                                     "agt_1"};
  TempDir dir;
  std::string log;
  for (const std::string& id : ids)
    log += event(id, "\"op\"", "k", "10.0.0.1", "\"2026-03-01T10:00:00Z\"");
  const auto file = dir.write("agents.jsonl", log);
  const nlohmann::json report = scan({file.string()}, dir);  // --top 0: every agent
  std::vector<std::string> listed;
  for (const nlohmann::json& a : report["top_agents_by_events"]) listed.push_back(a["id"]);
  ASSERT_EQ(listed.size(), ids.size());
  EXPECT_TRUE(std::is_sorted(listed.begin(), listed.end()));
  EXPECT_EQ(listed[1], "abc");
  EXPECT_EQ(listed[2], std::string("abc\0", 4));
  EXPECT_EQ(listed.back(), "\xc3\xa9-agent");
}

}  // namespace
}  // namespace agentsweep
