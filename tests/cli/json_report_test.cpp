/** @file
 * The JSON report is written member by member and agent rows by hand, never
 * as one JSON tree: the text must still be exactly what nlohmann::json prints
 * for the same document (2-space indent, insertion order), for ids that need
 * escaping or replacing, absent times, empty and full lists.
 */
#include "cli/report/json_report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>

namespace agentsweep::report {
namespace {

AgentRow agent(std::string id, std::int64_t first_ms) {
  AgentRow a;
  a.id = std::move(id);
  a.events = 12;
  a.hit_events = 3;
  a.operators = 2;
  a.keys = 1;
  a.ips = 4;
  a.first_ms = first_ms;
  a.last_ms = first_ms == kernels::kNoTime ? first_ms : first_ms + 5000;
  a.busiest_window_events = 7;
  a.busiest_window_start_ms = a.first_ms;
  a.rules = 1;
  a.risk = 6;
  return a;
}

TEST(JsonReport, IsExactlyWhatNlohmannPrintsForTheSameDocument) {
  Summary s;
  s.backend = "cpu";
  s.files.push_back({});
  s.files.back().path = "logs/a \"quoted\".jsonl";
  s.patterns.push_back({"AKIA", "line", 2, 2});
  s.top_agents_by_events.push_back(agent("agt_plain", 1772323200000));
  s.top_agents_by_events.push_back(agent("agt_\"quoted\"\\back\tslash\x01", kernels::kNoTime));
  s.top_agents_by_events.push_back(agent("agt_bad_utf8_\xc3\x28", 1000));
  s.top_agents_by_events[0].pattern_events = {{0, 2}, {3, 1}};
  s.agents_with_several_operators.push_back(s.top_agents_by_events[0]);
  std::ostringstream out;
  write_json(out, s);
  const std::string text = out.str();
  const auto doc = nlohmann::ordered_json::parse(text);
  EXPECT_EQ(doc.dump(2) + "\n", text);

  const auto& agents = doc["top_agents_by_events"];
  ASSERT_EQ(agents.size(), 3u);
  EXPECT_EQ(agents[0]["pattern_events"][1]["pattern"], 3);
  EXPECT_EQ(agents[1]["id"], "agt_\"quoted\"\\back\tslash\x01");
  EXPECT_TRUE(agents[1]["first_seen"].is_null());
  EXPECT_EQ(agents[2]["id"], "agt_bad_utf8_\xef\xbf\xbd(");  // replaced, not aborted
  EXPECT_EQ(agents[0]["busiest_window"]["start"], "2026-03-01T00:00:00.000Z");
  EXPECT_TRUE(doc["top_agents_by_hits"].empty());
}

}  // namespace
}  // namespace agentsweep::report
