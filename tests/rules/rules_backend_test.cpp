/** @file
 * Sigma rules run by `scan` on the backends against the host reference
 * (RuleMatcher): for every rule, the same matching events, line for line,
 * whatever the backend and batch size. Rules: the bundled pack, and rules
 * written here to reach every kind of predicate and condition on the fields
 * the generator writes.
 */
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/report/summary.hpp"
#include "generator.hpp"
#include "host/engine/scan_plan.hpp"
#include "host/io/input_files.hpp"
#include "host/pipeline/scan_pipeline.hpp"
#include "host/rules/reference_matcher.hpp"
#include "host/rules/rule_program_builder.hpp"
#include "host/rules/rule_set.hpp"
#include "host/state/scan_state.hpp"
#include "tests/support/backends.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep::rules {
namespace {

namespace fs = std::filesystem;

// Every value test, modifiers turned into patterns (contains, startswith,
// endswith, all, re, windash, base64offset, cased), keywords, null,
// conditions with not, 1 of, all of and parentheses, and a global filter.
constexpr const char* kRulesText = R"(
title: Admin path, denied, from a 10.x or IPv6 network
id: 00000000-0000-0000-0000-000000000001
logsource: {product: agent-platform}
detection:
  path: {request.path|startswith: '/v1/admin/'}
  denied: {status: [401, 403]}
  net: {request.ip|cidr: ['10.0.0.0/8', '146.0.0.0/8', '2001:db8::/32']}
  condition: path and (denied or not net)
level: high
---
title: Big responses, slow, or numbers spelled as strings
id: 00000000-0000-0000-0000-000000000002
logsource: {product: agent-platform}
detection:
  big: {bytes_out|gte: 900000}
  slow: {latency_ms|gt: 1500}
  status_text: {status: '201'}
  condition: big or slow or (status_text and not big)
level: medium
---
title: Content keywords and regexes
id: 00000000-0000-0000-0000-000000000003
logsource: {product: agent-platform}
detection:
  keywords: ['ignore previous instructions', 'PRIVATE KEY']
  secret: {content|re: '(AKIA|ghp_)[A-Za-z0-9]{16}'}
  mixed: {content|contains|all: ['the', 'planner']}
  condition: keywords or secret or mixed
level: high
---
title: Missing user agent on posts, case-sensitive action, time parts
id: 00000000-0000-0000-0000-000000000004
logsource: {product: agent-platform}
detection:
  post: {action|cased: 'post.create'}
  no_agent_string: {request.user_agent: null}
  hour: {ts|hour|gte: 14}
  condition: post and no_agent_string and hour
level: low
---
title: Operator exists, method and field reference
id: 00000000-0000-0000-0000-000000000005
logsource: {product: agent-platform}
detection:
  sel_op: {actor.operator_id|exists: true}
  sel_get: {request.method|endswith: 'ET'}
  sel_same: {resource|fieldref|startswith: request.path}
  condition: all of sel_* or (sel_get and not sel_same)
level: informational
---
title: Encoded and dashed variants
id: 00000000-0000-0000-0000-000000000006
logsource: {product: agent-platform}
detection:
  b64: {content|base64offset|contains: 'planner'}
  dash: {request.user_agent|windash|contains: '-js/'}
  condition: b64 or dash
level: low
---
title: Reads are expected to be large
id: 00000000-0000-0000-0000-0000000000f1
logsource: {product: agent-platform}
filter:
  rules: [00000000-0000-0000-0000-000000000002]
  reads: {request.method: GET}
  agents: {actor.agent_id|endswith: ['0', '5']}
  condition: reads and not agents
)";

struct Sample {
  fs::path dir;
  std::vector<std::string> lines;  ///< every line of every file, in scan order
  nlohmann::json truth;            ///< ground_truth.json
};

/// 40,000 plain events over 2 days, every incident kind but dormancy (the one
/// correlation of the pack that does not run yet).
const Sample& sample() {
  static const testing::TempDir scratch;  // removed when the test binary exits
  static const Sample data = [] {
    gen::GeneratorOptions options;
    options.events = 40'000;
    options.days = 2;
    options.agents = 8'000;
    options.operators = 120;
    options.seed = 5;
    options.plain = true;
    options.threads = 2;
    options.incidents.fill(4);
    options.incidents[static_cast<std::size_t>(gen::IncidentKind::kDormantWake)] = 0;
    options.fleet_jump_agents = 300;  // the pack's rule looks for 200 new agents in 2 hours
    options.out_dir = scratch.path();
    const gen::GenerationSummary summary = gen::generate(options);
    Sample s{options.out_dir, {}, {}};
    std::ifstream truth(summary.ground_truth);
    s.truth = nlohmann::json::parse(truth);
    fs::remove(summary.ground_truth);  // not a log to scan
    for (const gen::GeneratedFile& file : summary.files) {
      std::ifstream in(options.out_dir / file.name);
      for (std::string line; std::getline(in, line);) s.lines.push_back(line);
    }
    return s;
  }();
  return data;
}

/// Line numbers (1-based, over all files) each rule matches, by the reference.
std::vector<std::vector<std::uint64_t>> reference_lines(const std::vector<CompiledRule>& rules) {
  std::vector<std::vector<std::uint64_t>> lines(rules.size());
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const RuleMatcher matcher(rules[r]);
    for (std::size_t i = 0; i < sample().lines.size(); ++i)
      if (matcher.matches(sample().lines[i])) lines[r].push_back(i + 1);
  }
  return lines;
}

/// The same, by a backend through the scan pipeline; evidence holds every line.
std::vector<std::vector<std::uint64_t>> backend_lines(engine::Backend& backend,
                                                      const std::vector<CompiledRule>& rules,
                                                      std::size_t batch_bytes) {
  std::vector<const CompiledRule*> pointers;
  for (const CompiledRule& rule : rules) pointers.push_back(&rule);
  engine::ScanPlanOptions options;
  options.rules = build_rule_program({pointers, std::vector<bool>(pointers.size(), true), {}});
  options.evidence_per_rule = 1u << 30;
  const engine::ScanPlan plan = engine::make_scan_plan(options);
  backend.load(plan);
  std::vector<io::PathProblem> problems;
  const auto files = io::discover_input_files({sample().dir.string()}, problems);
  state::ScanState state(0, rules.size(), options.evidence_per_rule);
  pipeline::PipelineOptions pipeline_options;
  pipeline_options.limits.batch_bytes = batch_bytes;
  EXPECT_TRUE(pipeline::run_scan(files, backend, state, pipeline_options, [](std::string_view) {}));

  // Files are scanned in sorted order, as the sample's lines were read.
  std::vector<std::uint64_t> first_line_of_file{0};
  for (const state::FileSummary& file : state.files())
    first_line_of_file.push_back(first_line_of_file.back() + file.lines);
  std::vector<std::vector<std::uint64_t>> lines(rules.size());
  for (std::size_t r = 0; r < rules.size(); ++r) {
    for (const state::EvidenceLine& e : state.rule_hits()[r].evidence)
      lines[r].push_back(first_line_of_file[e.file] + e.line_number);
    EXPECT_EQ(state.rule_hits()[r].events, lines[r].size()) << rules[r].info.title;
  }
  return lines;
}

std::vector<CompiledRule> standalone(RuleSet set) {
  EXPECT_EQ(set.count(IssueKind::kRejected), 0u);
  std::vector<CompiledRule> rules;
  for (CompiledRule& rule : set.rules)
    if (rule.standalone) rules.push_back(std::move(rule));
  return rules;
}

class RulesOnBackends : public ::testing::TestWithParam<std::string> {};

TEST_P(RulesOnBackends, BundledPackMatchesTheReferenceLineForLine) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  const std::vector<CompiledRule> rules =
      standalone(load_rules({(fs::path(AGENTSWEEP_SOURCE_DIR) / "rules/agent-platform").string()}));
  ASSERT_EQ(rules.size(), 5u);
  const auto expected = reference_lines(rules);
  for (const std::size_t batch : {std::size_t{64} << 20, std::size_t{64} << 10}) {
    const auto found = backend_lines(*backend, rules, batch);
    for (std::size_t r = 0; r < rules.size(); ++r) {
      EXPECT_FALSE(expected[r].empty()) << rules[r].info.title;  // the sample has every kind
      EXPECT_EQ(found[r], expected[r]) << rules[r].info.title << ", batch " << batch;
    }
  }
}

/// The bundled pack's regexes over `content` have required factors: their
/// automata walk only the lines a prefilter finds a factor in (the line-for-
/// line tests above hold them to the reference), and each prefilter names
/// automata of the predicate set.
TEST(RulesPlan, PredicateRegexesWithFactorsArePrefiltered) {
  const std::vector<CompiledRule> rules =
      standalone(load_rules({(fs::path(AGENTSWEEP_SOURCE_DIR) / "rules/agent-platform").string()}));
  std::vector<const CompiledRule*> pointers;
  for (const CompiledRule& rule : rules) pointers.push_back(&rule);
  engine::ScanPlanOptions options;
  options.rules = build_rule_program({pointers, std::vector<bool>(pointers.size(), true), {}});
  const engine::PatternSet& predicates = engine::make_scan_plan(options).rules.predicates;
  ASSERT_FALSE(predicates.prefilters.empty());
  std::set<std::uint32_t> prefiltered;
  for (const engine::Prefilter& p : predicates.prefilters)
    for (const std::uint32_t a : p.slot_automata) {
      ASSERT_LT(a, predicates.automata.size());
      prefiltered.insert(a);
      for (const std::uint32_t id : predicates.automata[a].pattern_ids)
        EXPECT_FALSE(predicates.factors[id].empty()) << predicates.patterns[id].text;
    }
  EXPECT_GE(prefiltered.size(), 2u);
}

TEST_P(RulesOnBackends, EveryPredicateKindMatchesTheReferenceLineForLine) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  const std::vector<CompiledRule> rules = standalone(load_rules_from_text(kRulesText, "test.yml"));
  ASSERT_EQ(rules.size(), 6u);
  const auto expected = reference_lines(rules);
  const auto found = backend_lines(*backend, rules, std::size_t{1} << 20);
  for (std::size_t r = 0; r < rules.size(); ++r) {
    EXPECT_FALSE(expected[r].empty()) << rules[r].info.title << " never matches: a weak test";
    EXPECT_EQ(found[r], expected[r]) << rules[r].info.title;
  }
}

class RulesThroughTheCli : public ::testing::TestWithParam<std::string> {};

/// The correlations of the bundled pack through `agentsweep scan`, at a batch size.
nlohmann::json scanned_correlations(const std::string& backend, const std::string& batch) {
  const auto r = testing::run_child(
      {AGENTSWEEP_BINARY, "scan", "--backend", backend, "-q", "--json", "--batch-size", batch,
       "--rules", (fs::path(AGENTSWEEP_SOURCE_DIR) / "rules/agent-platform").string(),
       sample().dir.string()},
      fs::temp_directory_path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  return nlohmann::json::parse(r.out).at("correlations");
}

/// The groups a correlation found, by its id.
std::set<std::string> groups_of(const nlohmann::json& correlations, const std::string& id) {
  std::set<std::string> groups;
  for (const nlohmann::json& c : correlations)
    if (c["id"] == id)
      for (const nlohmann::json& hit : c["hits"]) groups.insert(hit["group"][0]);
  return groups;
}

/// What incidents of `kind` list under `key` (agents, keys, operators).
std::set<std::string> truth_of(const std::string& kind, const std::string& key) {
  std::set<std::string> values;
  for (const nlohmann::json& incident : sample().truth["incidents"])
    if (incident["kind"] == kind)
      for (const nlohmann::json& v : incident[key]) values.insert(v);
  return values;
}

TEST_P(RulesThroughTheCli, CorrelationsFindTheirIncidentsWhateverTheBatches) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  const nlohmann::json found = scanned_correlations(GetParam(), "64M");
  EXPECT_EQ(scanned_correlations(GetParam(), "64K"), found);  // windows span batches and files
  // Exact: every burst agent and every shared key, nothing else.
  EXPECT_EQ(groups_of(found, "526605cd-2e9c-4166-baa6-b833eb14aa1f"), truth_of("burst", "agents"));
  EXPECT_EQ(groups_of(found, "97ec651b-d7b5-4a50-b71c-35227388026d"),
            truth_of("shared_key", "keys"));
  // Recall: the rules also flag busy operators and agents, as their falsepositives say.
  const auto fleets = groups_of(found, "6ec3af3d-d2aa-4b39-ad10-1975d332eedd");
  for (const nlohmann::json& incident : sample().truth["incidents"]) {
    if (incident["kind"] == "fleet_jump") {
      EXPECT_TRUE(fleets.contains(incident["details"]["operator"])) << incident["id"];
    }
  }
  const auto readers = groups_of(found, "06bbb887-f01d-49ed-9cd4-c6a2bdd9b2de");
  for (const nlohmann::json& incident : sample().truth["incidents"]) {
    if (incident["kind"] == "cross_operator_read") {
      EXPECT_TRUE(readers.contains(incident["agents"][0])) << incident["id"];
    }
  }
}

TEST_P(RulesThroughTheCli, AgentRiskIsRuleHitsWeightedByLevel) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  const fs::path pack = fs::path(AGENTSWEEP_SOURCE_DIR) / "rules/agent-platform";
  // The reference: per agent, the pack's alerting rules' matches times their level weight.
  std::map<std::string, std::pair<std::uint64_t, std::set<std::string>>> expected;
  for (const CompiledRule& rule : standalone(load_rules({pack.string()}))) {
    const RuleMatcher matcher(rule);
    for (const std::string& line : sample().lines) {
      if (!matcher.matches(line)) continue;
      const nlohmann::json event = nlohmann::json::parse(line);
      auto& [risk, rules] = expected[event["actor"]["agent_id"].get<std::string>()];
      risk += report::rule_risk_weight(rule.info.level);
      rules.insert(rule.info.id);
    }
  }
  std::erase_if(expected, [](const auto& entry) { return entry.second.first == 0; });
  const auto r =
      testing::run_child({AGENTSWEEP_BINARY, "scan", "--backend", GetParam(), "-q", "--json",
                          "--top", "0", "--rules", pack.string(), sample().dir.string()},
                         fs::temp_directory_path());
  const nlohmann::json risky = nlohmann::json::parse(r.out).at("top_agents_by_risk");
  std::map<std::string, std::pair<std::uint64_t, std::size_t>> found;
  for (const nlohmann::json& a : risky) found[a["id"]] = {a["risk"], a["rules"]};
  ASSERT_EQ(found.size(), expected.size());
  for (const auto& [agent, figures] : expected) {
    EXPECT_EQ(found[agent].first, figures.first) << agent;
    EXPECT_EQ(found[agent].second, figures.second.size()) << agent;
  }
}

INSTANTIATE_TEST_SUITE_P(AllBackends, RulesOnBackends, ::testing::ValuesIn(testing::kBackendNames));
INSTANTIATE_TEST_SUITE_P(AllBackends, RulesThroughTheCli,
                         ::testing::ValuesIn(testing::kCliBackendNames));

}  // namespace
}  // namespace agentsweep::rules
