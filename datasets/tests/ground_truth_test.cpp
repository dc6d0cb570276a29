/** @file Ground truth is exact: every listed line holds the event it claims, every
 * incident appears as many times as configured, and incident actors do nothing else. */
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "test_support.hpp"

namespace agentsweep::gen::testing {
namespace {

std::set<std::string> strings(const nlohmann::json& array) {
  std::set<std::string> values;
  for (const auto& value : array) values.insert(value.get<std::string>());
  return values;
}

std::vector<const Line*> events_of(const nlohmann::json& incident) {
  std::vector<const Line*> lines;
  for (const auto& event : incident.at("events")) {
    const std::size_t index = corpus().by_location.at(
        {event.at("file").get<std::string>(), event.at("line").get<std::uint64_t>()});
    lines.push_back(&corpus().lines[index]);
  }
  return lines;
}

TEST(GroundTruth, EachKindAppearsAsConfigured) {
  const Corpus& c = corpus();
  std::map<std::string, std::uint32_t> seen;
  std::set<std::string> ids;
  for (const auto& incident : c.truth.at("incidents")) {
    ++seen[incident.at("kind").get<std::string>()];
    ids.insert(incident.at("id").get<std::string>());
    EXPECT_EQ(incident.at("event_count").get<std::size_t>(), incident.at("events").size());
    EXPECT_FALSE(incident.at("events").empty());
  }
  for (std::size_t kind = 0; kind < kIncidentKindCount; ++kind) {
    const std::string name(kIncidentKindNames[kind]);
    EXPECT_EQ(seen[name], c.options.incidents[kind]) << name;
    EXPECT_EQ(c.truth.at("incident_counts").at(name), c.options.incidents[kind]) << name;
  }
  EXPECT_EQ(ids.size(), c.truth.at("incidents").size());
}

TEST(GroundTruth, EveryListedLineHoldsTheClaimedEvent) {
  for (const auto& incident : corpus().truth.at("incidents")) {
    const auto agents = strings(incident.at("agents"));
    const auto keys = strings(incident.at("keys"));
    const auto operators = strings(incident.at("operators"));
    const auto start = parse_timestamp(incident.at("time_range").at("start"));
    const auto end = parse_timestamp(incident.at("time_range").at("end"));
    const auto lines = events_of(incident);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const Line& line = *lines[i];
      const std::string where = incident.at("id").get<std::string>() + " " + line.file + ":" +
                                std::to_string(line.number);
      EXPECT_EQ(line.event_id, incident.at("events")[i].at("event_id")) << where;
      EXPECT_TRUE(agents.contains(line.agent)) << where;
      EXPECT_TRUE(keys.contains(line.key)) << where;
      if (line.operator_id) {
        EXPECT_TRUE(operators.contains(*line.operator_id)) << where;
      }
      EXPECT_GE(line.ts_ms, start) << where;
      EXPECT_LE(line.ts_ms, end) << where;
    }
  }
}

TEST(GroundTruth, IncidentActorsHaveNoOtherEvents) {
  const Corpus& c = corpus();
  std::set<std::string> actors;
  for (const auto& incident : c.truth.at("incidents")) {
    for (const auto& agent : incident.at("agents")) actors.insert(agent.get<std::string>());
  }
  std::size_t by_actors = 0;
  for (std::size_t i = 0; i < c.lines.size(); ++i) {
    const bool listed = c.incident_lines.contains(i);
    EXPECT_EQ(actors.contains(c.lines[i].agent), listed)
        << c.lines[i].file << ":" << c.lines[i].number;
    by_actors += listed ? 1 : 0;
  }
  EXPECT_EQ(by_actors, c.summary.incident_events);
}

TEST(GroundTruth, EventsShowTheirKind) {
  for (const auto& incident : corpus().truth.at("incidents")) {
    const std::string kind = incident.at("kind");
    const auto& details = incident.at("details");
    const auto lines = events_of(incident);
    const std::string id = incident.at("id");
    if (kind == "secret_in_content") {
      ASSERT_EQ(lines.size(), 1u);
      EXPECT_NE(lines[0]->content.value_or("").find(details.at("secret").get<std::string>()),
                std::string::npos)
          << id;
    } else if (kind == "shared_key") {
      std::set<std::string> agents;
      for (const Line* line : lines) agents.insert(line->agent);
      EXPECT_GE(agents.size(), 4u) << id;
      EXPECT_EQ(incident.at("keys").size(), 1u) << id;
    } else if (kind == "privilege_escalation") {
      for (const Line* line : lines) {
        EXPECT_EQ(line->action.rfind("admin.", 0), 0u) << id;
        EXPECT_FALSE(line->admin_scope) << id;
      }
    } else if (kind == "burst") {
      ASSERT_GT(lines.size(), kBurstLimitEvents);
      EXPECT_LT(lines.back()->ts_ms - lines.front()->ts_ms, kBurstWindowMillis) << id;
    } else if (kind == "prompt_injection") {
      std::set<std::string> agents;
      for (const Line* line : lines) {
        EXPECT_EQ(line->content.value_or(""), details.at("payload").get<std::string>()) << id;
        agents.insert(line->agent);
      }
      EXPECT_EQ(agents.size(), lines.size()) << id;
      EXPECT_GE(agents.size(), 15u) << id;
    } else if (kind == "fleet_jump") {
      std::set<std::string> agents;
      for (const Line* line : lines) {
        EXPECT_EQ(line->operator_id.value_or(""), details.at("operator").get<std::string>()) << id;
        agents.insert(line->agent);
      }
      EXPECT_EQ(agents.size(), corpus().options.fleet_jump_agents) << id;
    } else if (kind == "orphan_agents") {
      for (const Line* line : lines) EXPECT_FALSE(line->operator_id.has_value()) << id;
      EXPECT_TRUE(incident.at("operators").empty()) << id;
    } else if (kind == "cross_operator_read") {
      const auto victims = strings(details.at("victim_agents"));
      for (const Line* line : lines) {
        EXPECT_EQ(line->action, "resource.read") << id;
        const std::string owner = line->resource.substr(7, 16);  // agents/agt_xxxxxxxxxxxx/...
        EXPECT_TRUE(victims.contains(owner)) << id << " " << line->resource;
        EXPECT_NE(line->resource.find("/private/"), std::string::npos) << id;
      }
    } else if (kind == "exfiltration") {
      for (const Line* line : lines) EXPECT_GE(line->bytes_out, kExfiltrationMinBytesOut) << id;
    } else if (kind == "dormant_wake") {
      std::int64_t largest_gap = 0;
      for (std::size_t i = 1; i < lines.size(); ++i) {
        largest_gap = std::max(largest_gap, lines[i]->ts_ms - lines[i - 1]->ts_ms);
      }
      EXPECT_GE(largest_gap, kDormantSilentDays * 86'400'000) << id;
    } else {
      ADD_FAILURE() << "unknown kind " << kind;
    }
  }
}

}  // namespace
}  // namespace agentsweep::gen::testing
