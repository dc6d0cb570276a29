/** @file
 * The bundled rule pack (rules/agent-platform) on a generated dataset with every incident
 * kind: each single-event rule must match exactly the labelled events of its incident
 * kind in ground_truth.json (precision and recall 100 %, printed), and the kinds that
 * need aggregation must be covered by correlation rules (run by scan: see
 * rules_backend_test.cpp).
 */
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "generator.hpp"
#include "host/rules/reference_matcher.hpp"
#include "host/rules/rule_set.hpp"

namespace agentsweep::rules {
namespace {

namespace fs = std::filesystem;

const fs::path kRulePack = fs::path(AGENTSWEEP_SOURCE_DIR) / "rules" / "agent-platform";

/// Single-event rules of the pack, by id, and the incident kind each detects.
const std::map<std::string, std::string> kDetectionKinds = {
    {"dd5541f9-28e9-446e-ae5d-7315bf691eac", "secret_in_content"},
    {"88f599eb-f39c-4be8-8f06-52193283e830", "privilege_escalation"},
    {"4816e8a1-5fd3-446c-acb8-bb0a614e77bc", "prompt_injection"},
    {"bc0c6243-0985-4966-b228-91fccb23964c", "exfiltration"},
    {"caa1549c-c02f-45f4-956d-91a3a77c9333", "orphan_agents"},
};

/// Correlation rules of the pack, by id, and the incident kind each is written for.
const std::map<std::string, std::string> kCorrelationKinds = {
    {"97ec651b-d7b5-4a50-b71c-35227388026d", "shared_key"},
    {"526605cd-2e9c-4166-baa6-b833eb14aa1f", "burst"},
    {"6ec3af3d-d2aa-4b39-ad10-1975d332eedd", "fleet_jump"},
    {"99fd90a1-6cd1-49c0-8f1f-358b2446829b", "dormant_wake"},
    {"06bbb887-f01d-49ed-9cd4-c6a2bdd9b2de", "cross_operator_read"},
};

struct Dataset {
  std::vector<std::string> lines;
  std::map<std::string, std::string> kind_of_event;  ///< labelled event id -> incident kind
  std::map<std::string, std::size_t> events_of_kind;
};

/// 50,000 events over 2 days with 5 incidents of every kind (dormant_wake needs 16 days).
const Dataset& dataset() {
  static const Dataset data = [] {
    gen::GeneratorOptions options;
    options.events = 50'000;
    options.days = 2;
    options.agents = 20'000;
    options.operators = 300;
    options.seed = 11;
    options.plain = true;
    options.threads = 2;
    options.incidents.fill(5);
    options.incidents[static_cast<std::size_t>(gen::IncidentKind::kDormantWake)] = 0;
    options.out_dir =
        fs::temp_directory_path() / ("agentsweep_rule_pack_dataset_" + std::to_string(getpid()));
    fs::remove_all(options.out_dir);
    const gen::GenerationSummary summary = gen::generate(options);
    Dataset d;
    for (const gen::GeneratedFile& file : summary.files) {
      std::ifstream in(options.out_dir / file.name);
      for (std::string line; std::getline(in, line);) d.lines.push_back(line);
    }
    std::ifstream truth_file(summary.ground_truth);
    const nlohmann::json truth = nlohmann::json::parse(truth_file);
    for (const nlohmann::json& incident : truth["incidents"]) {
      for (const nlohmann::json& event : incident["events"]) {
        d.kind_of_event[event["event_id"].get<std::string>()] = incident["kind"];
        d.events_of_kind[incident["kind"]]++;
      }
    }
    fs::remove_all(options.out_dir);
    return d;
  }();
  return data;
}

TEST(RulePack, LoadsCompletely) {
  const RuleSet set = load_rules({kRulePack.string()});
  EXPECT_EQ(set.count(IssueKind::kRejected), 0u);
  std::set<std::string> standalone;
  for (const CompiledRule& rule : set.rules)
    if (rule.standalone) standalone.insert(rule.info.id);
  std::set<std::string> expected;
  for (const auto& [id, kind] : kDetectionKinds) expected.insert(id);
  EXPECT_EQ(standalone, expected) << "every single-event rule must be checked below";
  std::set<std::string> correlations;
  for (const CorrelationRule& c : set.correlations) correlations.insert(c.info.id);
  for (const auto& [id, kind] : kCorrelationKinds) EXPECT_TRUE(correlations.contains(id)) << kind;
  EXPECT_TRUE(set.issues.empty());
  for (const CompiledRule& rule : set.rules) {
    EXPECT_FALSE(rule.info.level.empty()) << rule.info.title;
    EXPECT_FALSE(rule.info.falsepositives.empty() && rule.standalone) << rule.info.title;
    EXPECT_FALSE(rule.info.tags.empty() && rule.standalone) << rule.info.title;
  }
}

TEST(RulePack, SingleEventRulesMatchExactlyTheirIncidentEvents) {
  const Dataset& data = dataset();
  const RuleSet set = load_rules({kRulePack.string()});
  for (const CompiledRule& rule : set.rules) {
    const auto kind = kDetectionKinds.find(rule.info.id);
    if (kind == kDetectionKinds.end()) continue;
    RuleMatcher matcher(rule);
    std::size_t true_positives = 0;
    std::size_t false_positives = 0;
    for (const std::string& line : data.lines) {
      if (!matcher.matches(line)) continue;
      const auto labelled =
          data.kind_of_event.find(nlohmann::json::parse(line)["event_id"].get<std::string>());
      if (labelled != data.kind_of_event.end() && labelled->second == kind->second) {
        ++true_positives;
      } else {
        ++false_positives;
        ADD_FAILURE() << rule.info.title << " matched an event outside " << kind->second << ": "
                      << line;
      }
    }
    const std::size_t labelled = data.events_of_kind.at(kind->second);
    std::cout << rule.info.title << " (" << kind->second << "): " << true_positives
              << " true positives, " << false_positives << " false positives, "
              << labelled - true_positives << " missed; precision "
              << (true_positives + false_positives == 0
                      ? 0.0
                      : 100.0 * static_cast<double>(true_positives) /
                            static_cast<double>(true_positives + false_positives))
              << " %, recall "
              << 100.0 * static_cast<double>(true_positives) / static_cast<double>(labelled)
              << " %\n";
    EXPECT_GT(labelled, 0u) << kind->second;
    EXPECT_EQ(true_positives, labelled) << rule.info.title;
    EXPECT_EQ(false_positives, 0u) << rule.info.title;
  }
}

TEST(RulePack, AdminScopeIsReadFromBothProducerStyles) {
  // Background agents with the admin scope rarely call admin endpoints in a small dataset,
  // so the filter is checked on events written as each producer writes them.
  const RuleSet set =
      load_rules({(kRulePack / "agent_admin_call_without_admin_scope.yml").string()});
  ASSERT_EQ(set.rules.size(), 1u);
  RuleMatcher m(set.rules[0]);
  const std::string gateway_admin =
      R"({"auth":{"api_key_id":"key_1","scopes":["read","keys:write","admin"]},)"
      R"("request":{"method":"GET","path":"/v1/admin/config"},"status":200})";
  const std::string worker_admin =
      R"({"request": {"path": "/v1/admin/roles/grant", "method": "POST"}, )"
      R"("auth": {"scopes": ["read", "admin"], "api_key_id": "key_1"}, "status": 200})";
  const std::string worker_plain =
      R"({"request": {"path": "/v1/admin/roles/grant", "method": "POST"}, )"
      R"("auth": {"scopes": ["read", "posts:write"], "api_key_id": "key_1"}, "status": 403})";
  const std::string content_mentions_admin =
      R"({"auth":{"scopes":["read"]},"request":{"path":"/v1/admin/config"},)"
      R"("content":"my scopes: [\"admin\"]"})";
  EXPECT_FALSE(m.matches(gateway_admin));
  EXPECT_FALSE(m.matches(worker_admin));
  EXPECT_TRUE(m.matches(worker_plain));
  EXPECT_TRUE(m.matches(content_mentions_admin));
}

}  // namespace
}  // namespace agentsweep::rules
