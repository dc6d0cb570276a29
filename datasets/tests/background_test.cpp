/** @file Background traffic never looks like an incident: the properties each incident
 * kind is defined by hold exactly for the labelled incidents and never elsewhere. */
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "ids.hpp"
#include "incidents.hpp"
#include "population.hpp"
#include "test_support.hpp"

namespace agentsweep::gen::testing {
namespace {

/** Agents (or keys) named by incidents of `kind`. */
std::set<std::string> labelled(const std::string& kind, const std::string& field) {
  std::set<std::string> values;
  for (const auto& incident : corpus().truth.at("incidents")) {
    if (incident.at("kind") != kind) continue;
    for (const auto& value : incident.at(field)) values.insert(value.get<std::string>());
  }
  return values;
}

TEST(Background, NoSecretOrInjectionTextOutsideIncidents) {
  const Corpus& c = corpus();
  constexpr std::string_view kMarkers[] = {"agsk_",       "AKIA",         "ghp_",         "eyJ",
                                           "PRIVATE KEY", "instructions", "SYSTEM NOTICE"};
  for (std::size_t i = 0; i < c.lines.size(); ++i) {
    if (c.incident_lines.contains(i) || !c.lines[i].content) continue;
    for (std::string_view marker : kMarkers) {
      EXPECT_EQ(c.lines[i].content->find(marker), std::string::npos) << c.lines[i].event_id;
    }
  }
}

TEST(Background, OnlySharedKeyIncidentsShareKeys) {
  std::map<std::string, std::set<std::string>> agents_of_key;
  for (const Line& line : corpus().lines) agents_of_key[line.key].insert(line.agent);
  std::set<std::string> shared;
  for (const auto& [key, agents] : agents_of_key) {
    if (agents.size() > 1) shared.insert(key);
  }
  EXPECT_EQ(shared, labelled("shared_key", "keys"));
}

TEST(Background, OnlyBurstIncidentsExceedTheRateLimit) {
  std::map<std::string, std::vector<std::int64_t>> times;
  for (const Line& line : corpus().lines) times[line.agent].push_back(line.ts_ms);
  std::set<std::string> bursting;
  for (auto& [agent, ts] : times) {
    std::sort(ts.begin(), ts.end());
    std::size_t first = 0;
    for (std::size_t last = 0; last < ts.size(); ++last) {
      while (ts[last] - ts[first] >= kBurstWindowMillis) ++first;
      if (last - first + 1 > kBurstLimitEvents) bursting.insert(agent);
    }
  }
  EXPECT_EQ(bursting, labelled("burst", "agents"));
}

TEST(Background, OnlyEscalationsCallAdminEndpointsWithoutAdminScope) {
  std::set<std::string> offenders;
  for (const Line& line : corpus().lines) {
    if (line.path.rfind("/v1/admin/", 0) == 0 && !line.admin_scope) offenders.insert(line.agent);
  }
  EXPECT_EQ(offenders, labelled("privilege_escalation", "agents"));
}

TEST(Background, OnlyExfiltrationHasHugeResponses) {
  std::set<std::string> huge;
  for (const Line& line : corpus().lines) {
    if (line.bytes_out >= kBackgroundMaxBytesOut) huge.insert(line.agent);
  }
  EXPECT_EQ(huge, labelled("exfiltration", "agents"));
}

TEST(Background, OnlyOrphansLackAnOperator) {
  std::set<std::string> orphans;
  for (const Line& line : corpus().lines) {
    if (!line.operator_id) orphans.insert(line.agent);
  }
  EXPECT_EQ(orphans, labelled("orphan_agents", "agents"));
}

TEST(Background, OnlyCrossOperatorReadsTouchOtherOperatorsPrivateData) {
  // The owner of a private resource may never act in a small corpus, so its operator
  // comes from the population the run was generated with (after fleet jumps).
  const Corpus& c = corpus();
  const IdFormats ids(c.options.seed);
  Population population(c.options);
  plan_incidents(c.options, ids, population, c.options.start_day * 86'400'000,
                 (c.options.start_day + c.options.days) * 86'400'000);
  std::map<std::string, std::string> operator_of;
  for (std::uint32_t agent = 0; agent < population.agent_count(); ++agent) {
    operator_of[ids.agent.format(agent)] = ids.operator_.format(population.operator_of(agent));
  }
  std::set<std::string> readers;
  for (const Line& line : c.lines) {
    if (line.resource.find("/private/") == std::string::npos) continue;
    const std::string owner = line.resource.substr(7, 16);
    if (operator_of.at(owner) != operator_of.at(line.agent)) readers.insert(line.agent);
  }
  EXPECT_EQ(readers, labelled("cross_operator_read", "agents"));
}

TEST(Background, OnlyDormantAgentsWakeAfterWeeksOfSilence) {
  std::map<std::string, std::vector<std::int64_t>> times;
  for (const Line& line : corpus().lines) times[line.agent].push_back(line.ts_ms);
  std::set<std::string> sleepers;
  for (auto& [agent, ts] : times) {
    std::sort(ts.begin(), ts.end());
    for (std::size_t i = 1; i < ts.size(); ++i) {
      if (ts[i] - ts[i - 1] >= kDormantSilentDays * 86'400'000) sleepers.insert(agent);
    }
  }
  // Background agents may be quiet for long stretches in a tiny corpus, but every
  // labelled sleeper must show the gap.
  for (const auto& agent : labelled("dormant_wake", "agents"))
    EXPECT_TRUE(sleepers.contains(agent)) << agent;
}

}  // namespace
}  // namespace agentsweep::gen::testing
