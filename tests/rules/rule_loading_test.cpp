/** @file
 * Loading: metadata, several documents per file, Sigma 1.x collections, directories,
 * correlation rules (validated, run or reported as not yet supported), global filters,
 * configuration files, and malformed YAML and rules reported with file, id and line.
 */
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "rule_test_support.hpp"

namespace agentsweep::rules {
namespace {

namespace fs = std::filesystem;
using testing::issue_of;
using testing::issue_of_file;

fs::path fresh_directory(const std::string& name) {
  // The process id keeps concurrent runs of the suite apart.
  const fs::path dir =
      fs::temp_directory_path() / ("agentsweep_rules_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

constexpr const char* kFullRule = R"(title: Whoami Execution
id: 6a2c9f3e-6f1a-4a53-b7c5-2c0e2f3a4b5c
name: whoami_execution
status: test
description: Detects whoami
references:
    - https://example.com/whoami
author: someone
date: 2026-01-02
tags:
    - attack.discovery
    - attack.t1033
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\whoami.exe'
    condition: selection
falsepositives: Admins checking their identity
level: medium
custom_field: kept out of the model, allowed
)";

TEST(RuleLoading, MetadataOfAWellFormedRule) {
  const RuleSet set = load_rules_from_text(kFullRule, "whoami.yml");
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.issues.empty());
  const RuleInfo& info = set.rules[0].info;
  EXPECT_EQ(info.file, "whoami.yml");
  EXPECT_EQ(info.line, 1);
  EXPECT_EQ(info.id, "6a2c9f3e-6f1a-4a53-b7c5-2c0e2f3a4b5c");
  EXPECT_EQ(info.name, "whoami_execution");
  EXPECT_EQ(info.title, "Whoami Execution");
  EXPECT_EQ(info.status, "test");
  EXPECT_EQ(info.level, "medium");
  EXPECT_EQ(info.description, "Detects whoami");
  EXPECT_EQ(info.tags, (std::vector<std::string>{"attack.discovery", "attack.t1033"}));
  EXPECT_EQ(info.references, std::vector<std::string>{"https://example.com/whoami"});
  EXPECT_EQ(info.falsepositives, std::vector<std::string>{"Admins checking their identity"});
  EXPECT_EQ(info.logsource, (std::vector<std::pair<std::string, std::string>>{
                                {"category", "process_creation"}, {"product", "windows"}}));
  EXPECT_EQ(set.rules[0].condition, "selection");
  EXPECT_TRUE(set.rules[0].standalone);
}

TEST(RuleLoading, SeveralDocumentsPerFileEachReportedOnItsOwn) {
  const std::string text = std::string(kFullRule) + "---\n" +
                           "title: Broken\nid: broken-1\nlogsource: {product: x}\n"
                           "detection:\n  s: {a: 1}\n  condition: t\n---\n\n---\n" +
                           testing::rule_yaml("s: [x]\ncondition: s");
  const RuleSet set = load_rules_from_text(text, "many.yml");
  EXPECT_EQ(set.documents, 3u);  // the empty document is no rule
  EXPECT_EQ(set.rules.size(), 2u);
  ASSERT_EQ(set.issues.size(), 1u);
  EXPECT_EQ(set.issues[0].id, "broken-1");
  EXPECT_EQ(set.issues[0].title, "Broken");
  EXPECT_EQ(set.issues[0].line, 29);
  EXPECT_EQ(set.rules[1].info.line, 33);
}

TEST(RuleLoading, Sigma1CollectionsMergeGlobalAndRepeat) {
  const std::string text = R"(action: global
title: Service installed
id: 11111111-2222-4333-8444-555555555555
level: high
detection:
    condition: selection
---
logsource: {product: windows, service: system}
detection:
    selection: {EventID: 7045}
---
logsource: {product: windows, service: security}
detection:
    selection: {EventID: 4697}
---
action: repeat
level: low
---
action: reset
---
title: Alone
logsource: {product: x}
detection: {s: [y], condition: s}
)";
  const RuleSet set = load_rules_from_text(text, "collection.yml");
  ASSERT_TRUE(set.issues.empty()) << set.issues[0].reason;
  ASSERT_EQ(set.rules.size(), 4u);
  EXPECT_EQ(set.rules[0].info.title, "Service installed");
  EXPECT_EQ(set.rules[0].info.logsource[1].second, "system");
  EXPECT_EQ(set.rules[1].info.logsource[1].second, "security");
  EXPECT_EQ(set.rules[2].info.level, "low");  // repeat: the previous rule, changed
  EXPECT_EQ(set.rules[2].info.logsource[1].second, "security");
  EXPECT_EQ(set.rules[3].info.level, "");  // reset forgot the global part
  EXPECT_TRUE(RuleMatcher(set.rules[1]).matches(R"({"EventID":4697})"));
  EXPECT_NE(issue_of_file("action: merge\ntitle: x\n").reason.find("unknown collection action"),
            std::string::npos);
}

TEST(RuleLoading, DirectoriesAreWalkedRecursivelyInSortedOrder) {
  const fs::path dir = fresh_directory("walk");
  write(dir / "b" / "two.yml", testing::rule_yaml("s: [two]\ncondition: s"));
  write(dir / "a.yaml", testing::rule_yaml("s: [one]\ncondition: s"));
  write(dir / "notes.txt", "not a rule");
  write(dir / "c" / "d" / "three.yml", testing::rule_yaml("s: [three]\ncondition: s"));
  const RuleSet set = load_rules({dir.string()});
  ASSERT_EQ(set.rules.size(), 3u);
  EXPECT_EQ(fs::path(set.rules[0].info.file).filename(), "a.yaml");
  EXPECT_EQ(fs::path(set.rules[1].info.file).filename(), "two.yml");
  EXPECT_EQ(fs::path(set.rules[2].info.file).filename(), "three.yml");
  EXPECT_THROW(load_rules({(dir / "missing").string()}), std::runtime_error);
  // Ids must be unique across files (correlations refer to rules by id).
  write(dir / "e.yml", "id: same\n" + testing::rule_yaml("s: [e]\ncondition: s"));
  write(dir / "f.yml", "id: same\n" + testing::rule_yaml("s: [f]\ncondition: s"));
  const RuleSet twice = load_rules({dir.string()});
  ASSERT_EQ(twice.issues.size(), 1u);
  EXPECT_NE(twice.issues[0].reason.find("its id 'same' is also the id of the rule at"),
            std::string::npos);
  fs::remove_all(dir);
}

TEST(RuleLoading, YamlSyntaxErrorsNameTheFileAndLine) {
  const fs::path dir = fresh_directory("syntax");
  write(dir / "bad.yml", "title: x\ndetection:\n  s: [a, b\n  condition: s\n");
  const RuleSet set = load_rules({dir.string()});
  ASSERT_EQ(set.issues.size(), 1u);
  EXPECT_EQ(set.issues[0].file, (dir / "bad.yml").string());
  EXPECT_EQ(set.issues[0].line, 4);
  EXPECT_NE(set.issues[0].reason.find("YAML syntax error"), std::string::npos);
  EXPECT_NE(set.issues[0].reason.find("none of the file's rules were loaded"), std::string::npos);
  fs::remove_all(dir);
}

TEST(RuleLoading, MalformedRulesAreRejectedWithTheOffendingLine) {
  struct Case {
    std::string yaml;
    int line;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"logsource: {product: x}\ndetection: {s: [a], condition: s}\n", 1, "has no title"},
      {"title: t\ndetection: {s: [a], condition: s}\n", 1, "needs a 'logsource'"},
      {"title: t\nlevel: severe\nlogsource: {product: x}\ndetection: {s: [a], condition: s}\n", 2,
       "'level' is 'severe'"},
      {"title: t\nstatus: done\nlogsource: {product: x}\ndetection: {s: [a], condition: s}\n", 2,
       "'status' is 'done'"},
      {"title: t\ntags: {a: b}\nlogsource: {product: x}\ndetection: {s: [a], condition: s}\n", 2,
       "'tags' must be a string or a list"},
      {"title: t\nlogsource: {product: x}\ndetection: [a]\n", 3, "needs a 'detection' map"},
      {"title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a: 1\n    a: 2\n  condition: s\n",
       6, "key 'a' appears twice (lines 5 and 6)"},
      {"title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a: {b: c}\n  condition: s\n", 5,
       "the value is a map"},
      {"title: t\nlogsource: {product: x}\ndetection:\n  s:\n    a: [[b]]\n  condition: s\n", 5,
       "not nested lists"},
      {"title: t\nlogsource: {product: x}\ndetection:\n  s: {}\n  condition: s\n", 4, "empty map"},
      {"title: t\nlogsource: {product: x}\ndetection:\n  s: [a]\n  condition: {x: y}\n", 5,
       "condition must be a string"},
      {"- just\n- a list\n", 1, "not a map"},
      {"title: t\nlogsource: {product: x}\ndetection:\n  s: {? [x] : y}\n  condition: s\n", 4,
       "keys must be strings"},
  };
  for (const Case& c : cases) {
    const RuleIssue issue = issue_of_file(c.yaml);
    EXPECT_EQ(issue.kind, IssueKind::kRejected) << c.yaml;
    EXPECT_EQ(issue.line, c.line) << c.yaml << issue.reason;
    EXPECT_NE(issue.reason.find(c.reason), std::string::npos) << c.yaml << issue.reason;
  }
}

constexpr const char* kCorrelation = R"(title: Base
id: base-rule
name: failed_login
logsource: {product: x}
detection: {s: {outcome: failure}, condition: s}
---
title: Many failed logins
id: corr-rule
correlation:
    type: event_count
    rules: [failed_login]
    group-by: [user]
    timespan: 10m
    condition: {gte: 10}
level: high
)";

TEST(RuleLoading, CorrelationRulesAreValidatedAndRunnableOnesAreNoIssue) {
  const RuleSet set = load_rules_from_text(kCorrelation, "corr.yml");
  ASSERT_EQ(set.rules.size(), 1u);
  EXPECT_FALSE(set.rules[0].standalone);  // only an input of the correlation
  ASSERT_EQ(set.correlations.size(), 1u);
  const CorrelationRule& c = set.correlations[0];
  EXPECT_EQ(c.type, "event_count");
  EXPECT_EQ(c.rules, std::vector<std::string>{"failed_login"});
  EXPECT_EQ(c.group_by, std::vector<std::string>{"user"});
  EXPECT_EQ(c.timespan_seconds, 600);
  ASSERT_EQ(c.condition.bounds.size(), 1u);
  EXPECT_EQ(c.condition.bounds[0].comparison, "gte");
  EXPECT_EQ(c.condition.bounds[0].value, 10);
  EXPECT_TRUE(set.issues.empty());  // event_count with a lower bound runs
  EXPECT_TRUE(c.unsupported.empty());
  ASSERT_EQ(c.slots.size(), 1u);
  EXPECT_EQ(c.slots[0].group_paths, std::vector<std::string>{"user"});
  EXPECT_EQ(c.group_labels, std::vector<std::string>{"user"});
  EXPECT_EQ(c.counts, (engine::CountRange{10, engine::CountRange::kUnbounded, {}}));

  // Every bound comes down to a range of whole counts of at least 1, minus `neq` values.
  constexpr std::uint64_t kAny = engine::CountRange::kUnbounded;
  const std::vector<std::pair<std::string, engine::CountRange>> ranges{
      {"{gt: 2, lte: 10}", {3, 10, {}}}, {"{gt: 2.5}", {3, kAny, {}}},
      {"{lt: 5}", {1, 4, {}}},           {"{lt: 4.5}", {1, 4, {}}},
      {"{eq: 4}", {4, 4, {}}},           {"{gte: -3}", {1, kAny, {}}},
      {"{neq: 0}", {1, kAny, {}}},       {"{gte: 2, neq: 3, lte: 9}", {2, 9, {3}}}};
  for (const auto& [condition, range] : ranges) {
    std::string text = kCorrelation;
    text.replace(text.find("{gte: 10}"), 9, condition);
    const RuleSet loaded = load_rules_from_text(text, "corr.yml");
    EXPECT_TRUE(loaded.issues.empty()) << condition;
    ASSERT_EQ(loaded.correlations.size(), 1u) << condition;
    EXPECT_EQ(loaded.correlations[0].counts, range) << condition;
    EXPECT_TRUE(loaded.correlations[0].unsupported.empty()) << condition;
  }
  // A condition no count can meet is an error in the rule, said as such.
  for (const char* condition : {"{gt: 10, lt: 5}", "{eq: 2.5}", "{lt: 1}"}) {
    std::string text = kCorrelation;
    text.replace(text.find("{gte: 10}"), 9, condition);
    const RuleSet loaded = load_rules_from_text(text, "corr.yml");
    ASSERT_EQ(loaded.issues.size(), 1u) << condition;
    EXPECT_EQ(loaded.issues[0].kind, IssueKind::kRejected) << condition;
    EXPECT_NE(loaded.issues[0].reason.find("accepts no count"), std::string::npos)
        << loaded.issues[0].reason;
  }
}

TEST(RuleLoading, BrokenCorrelationsAreRejected) {
  const auto replaced = [](const std::string& from, const std::string& to) {
    std::string text = kCorrelation;
    text.replace(text.find(from), from.size(), to);
    return load_rules_from_text(text, "corr.yml");
  };
  const RuleSet unknown = replaced("rules: [failed_login]", "rules: [nobody]");
  ASSERT_EQ(unknown.count(IssueKind::kRejected), 1u);
  EXPECT_NE(unknown.issues[0].reason.find("refers to rule 'nobody', which is not among"),
            std::string::npos);
  EXPECT_TRUE(unknown.rules[0].standalone);
  const RuleSet timespan = replaced("10m", "ten minutes");
  ASSERT_EQ(timespan.issues.size(), 1u);
  EXPECT_EQ(timespan.issues[0].line, 13);
  EXPECT_NE(timespan.issues[0].reason.find("timespan 'ten minutes'"), std::string::npos);
  EXPECT_NE(replaced("event_count", "event_sum").issues[0].reason.find("correlation type"),
            std::string::npos);
  EXPECT_NE(replaced("condition: {gte: 10}", "condition: {most: 10}")
                .issues[0]
                .reason.find("unknown correlation condition 'most'"),
            std::string::npos);
  EXPECT_NE(replaced("type: event_count", "type: value_count")
                .issues[0]
                .reason.find("needs the field to count"),
            std::string::npos);
  EXPECT_NE(replaced("    group-by: [user]\n", "").issues[0].reason.find("needs 'group-by'"),
            std::string::npos);
}

constexpr const char* kTwoRules = R"(title: Key Created
id: key-created
name: key_created
logsource: {product: x}
detection: {s: {action: create_key}, condition: s}
---
title: Key Used
id: key-used
name: key_used
logsource: {product: x}
detection: {s: {action: use_key}, condition: s}
---
)";

/// kTwoRules and one correlation document.
RuleSet with_correlation(const std::string& correlation) {
  return load_rules_from_text(
      std::string(kTwoRules) + "title: C\nid: c-1\ncorrelation:\n" + correlation, "corr.yml");
}

TEST(RuleLoading, TemporalCorrelationsGetASlotPerRuleAndAliasesPickEachRulesField) {
  const RuleSet set = with_correlation(R"(    type: temporal_ordered
    rules: [key_created, key-used]
    group-by: [key]
    aliases:
        key: {key_created: created.key_id, key-used: request.key_id}
    timespan: 1h
)");
  EXPECT_TRUE(set.issues.empty()) << set.issues[0].reason;
  ASSERT_EQ(set.correlations.size(), 1u);
  const CorrelationRule& c = set.correlations[0];
  EXPECT_TRUE(c.unsupported.empty()) << c.unsupported;
  EXPECT_EQ(c.counts.min, 2u);  // no condition: all the rules, as pySigma
  ASSERT_EQ(c.slots.size(), 2u);
  EXPECT_EQ(c.slots[0].rules, std::vector<std::string>{"key_created"});
  EXPECT_EQ(c.slots[0].group_paths, std::vector<std::string>{"created.key_id"});
  EXPECT_EQ(c.slots[1].group_paths, std::vector<std::string>{"request.key_id"});
  EXPECT_EQ(c.group_labels, std::vector<std::string>{"key"});  // the alias, as written

  // Without aliases an event_count keeps one slot for all its rules.
  const RuleSet counting = with_correlation(R"(    type: event_count
    rules: [key_created, key_used]
    group-by: [user]
    timespan: 1h
    condition: {gte: 3}
)");
  ASSERT_EQ(counting.correlations.size(), 1u);
  ASSERT_EQ(counting.correlations[0].slots.size(), 1u);
  EXPECT_EQ(counting.correlations[0].slots[0].rules.size(), 2u);
}

TEST(RuleLoading, NumericCorrelationsKeepTheirBoundsAndPercentile) {
  const RuleSet set = with_correlation(R"(    type: value_percentile
    rules: [key_used]
    group-by: [user]
    timespan: 1h
    condition: {field: bytes, percentile: 95, gt: 0.5, lte: 1000}
)");
  ASSERT_TRUE(set.issues.empty()) << set.issues[0].reason;
  const CorrelationRule& c = set.correlations[0];
  EXPECT_TRUE(c.numeric());
  EXPECT_EQ(c.percentile, 95);
  EXPECT_EQ(c.slots[0].value_path, "bytes");
  // A fraction below 1 is a fine bound for an average, though no count could meet it.
  EXPECT_TRUE(c.condition.holds(0.75));
  EXPECT_FALSE(c.condition.holds(0.5));
  EXPECT_EQ(with_correlation(R"(    type: value_median
    rules: [key_used]
    group-by: [user]
    timespan: 1h
    condition: {field: bytes, lt: 0.5}
)")
                .correlations[0]
                .percentile,
            50);
}

TEST(RuleLoading, TemporalCorrelationsThatCannotRunSayWhy) {
  const auto reason = [](const std::string& correlation) {
    const RuleSet set = with_correlation(correlation);
    return set.issues.empty() ? std::string() : set.issues[0].reason;
  };
  EXPECT_NE(reason(R"(    type: temporal
    rules: [key_created, key_used]
    group-by: [key]
    aliases:
        key: {key_created: created.key_id}
    timespan: 1h
)")
                .find("alias 'key' names no field for rule 'key_used'"),
            std::string::npos);
  EXPECT_NE(reason(R"(    type: temporal
    rules: [key_created, key_used]
    timespan: 1h
    condition: key_created and not key_used
)")
                .find("a temporal condition written as an expression"),
            std::string::npos);
  EXPECT_NE(reason(R"(    type: temporal_ordered
    rules: [key_created, key_used]
    timespan: 1h
    condition: {gte: 1}
)")
                .find("a temporal_ordered condition other than all of its rules"),
            std::string::npos);
  EXPECT_NE(reason(R"(    type: value_percentile
    rules: [key_used]
    group-by: [user]
    timespan: 1h
    condition: {field: bytes, gt: 5}
)")
                .find("needs the percentile"),
            std::string::npos);
}

TEST(RuleLoading, ChainedCorrelationsCountTheFiringsOfTheOnesTheyName) {
  // The chained correlation comes after the one that chains it: references work both ways.
  const RuleSet set = with_correlation(R"(    type: temporal_ordered
    rules: [many_keys, key_used]
    group-by: [user]
    timespan: 1h
---
title: Many Keys
id: many-keys-id
name: many_keys
correlation:
    type: event_count
    rules: [key_created]
    group-by: [team, user]
    timespan: 10m
    condition: {gte: 5}
)");
  ASSERT_TRUE(set.issues.empty()) << set.issues[0].reason;
  ASSERT_EQ(set.correlations.size(), 2u);
  const CorrelationRule& outer = set.correlations[0];
  EXPECT_TRUE(outer.unsupported.empty());
  ASSERT_EQ(outer.slots.size(), 2u);
  EXPECT_EQ(outer.slots[0].correlation, 1);                     // many_keys
  EXPECT_EQ(outer.slots[0].label_fields, std::vector<int>{1});  // user is its second group field
  EXPECT_EQ(outer.slots[1].correlation, -1);
  EXPECT_EQ(outer.slots[1].group_paths, std::vector<std::string>{"user"});
  EXPECT_TRUE(outer.standalone);
  EXPECT_FALSE(set.correlations[1].standalone);  // only an input, as generate is false
}

TEST(RuleLoading, ChainsThatCannotRunSayWhy) {
  const auto reasons = [](const std::string& correlations) {
    std::vector<std::string> found;
    for (const RuleIssue& issue : with_correlation(correlations).issues)
      found.push_back(issue.reason);
    return found;
  };
  const std::string inner = R"(
---
title: Many Keys
id: many-keys-id
name: many_keys
correlation: {type: event_count, rules: [key_created], group-by: [team], timespan: 10m, condition: {gte: 5}}
)";
  // A group-by field the chained correlation does not group by.
  std::vector<std::string> r = reasons(R"(    type: event_count
    rules: [many_keys]
    group-by: [user]
    timespan: 1h
    condition: {gte: 2}
)" + inner);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].find("field 'user' is not among the group-by fields of the correlation it "
                      "chains ('many_keys')"),
            std::string::npos)
      << r[0];
  // Numbers of another correlation's firings.
  r = reasons(R"(    type: value_sum
    rules: [many_keys]
    group-by: [team]
    timespan: 1h
    condition: {field: team, gte: 2}
)" + inner);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].find("value_sum over the firings of another correlation"), std::string::npos);
  // Distinct values of firings and of detection events at once.
  r = reasons(R"(    type: value_count
    rules: [many_keys, key_used]
    group-by: [team]
    timespan: 1h
    condition: {field: team, gte: 2}
)" + inner);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].find("value_count over both a correlation's firings and detection rules"),
            std::string::npos)
      << r[0];
  // A cycle: c-1 chains itself through many_keys.
  r = reasons(R"(    type: event_count
    rules: [many_keys]
    group-by: [team]
    timespan: 1h
    condition: {gte: 2}
---
title: Many Keys
id: many-keys-id
name: many_keys
correlation: {type: event_count, rules: [c-1], group-by: [team], timespan: 10m, condition: {gte: 5}}
)");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_NE((r[0] + r[1]).find("its chain of correlations comes back to itself"), std::string::npos)
      << r[0] << r[1];
}

TEST(RuleLoading, GlobalFiltersRemoveTheEventsTheyMatchFromTheRulesTheyName) {
  const std::string text = std::string(kFullRule) + R"(---
title: Filter admin accounts
id: filter-1
logsource: {category: process_creation, product: windows}
filter:
    rules: [whoami_execution, 6a2c9f3e-6f1a-4a53-b7c5-2c0e2f3a4b5c]
    selection:
        User|startswith: 'adm_'
    service_accounts:
        User: [svc_backup, svc_deploy]
        Image|contains: 'System32'
    condition: selection or service_accounts
)";
  const RuleSet set = load_rules_from_text(text, "filter.yml");
  ASSERT_EQ(set.filters.size(), 1u);
  EXPECT_EQ(set.filters[0].rules.size(), 2u);  // one rule, by name and by id: filtered once
  EXPECT_TRUE(set.issues.empty());
  ASSERT_EQ(set.rules.size(), 1u);
  const CompiledRule& rule = set.rules[0];
  EXPECT_TRUE(rule.standalone);
  EXPECT_EQ(rule.condition, "(selection) and not filter filter-1");
  EXPECT_EQ(rule.fields, (std::vector<std::string>{"Image", "User"}));  // Image shared
  const RuleMatcher matcher(rule);
  EXPECT_TRUE(matcher.matches(R"({"Image":"C:\\Windows\\whoami.exe","User":"bob"})"));
  EXPECT_TRUE(matcher.matches(R"({"Image":"C:\\Windows\\whoami.exe"})"));
  EXPECT_FALSE(matcher.matches(R"({"Image":"C:\\Windows\\whoami.exe","User":"adm_bob"})"));
  EXPECT_FALSE(
      matcher.matches(R"({"Image":"C:\\Windows\\System32\\whoami.exe","User":"svc_backup"})"));
  EXPECT_TRUE(matcher.matches(R"({"Image":"C:\\Tools\\whoami.exe","User":"svc_backup"})"));
  EXPECT_FALSE(matcher.matches(R"({"Image":"C:\\Windows\\cmd.exe","User":"bob"})"));
}

TEST(RuleLoading, FieldMappingAndPlaceholderFiles) {
  const fs::path dir = fresh_directory("config");
  write(dir / "fields.yml", "CommandLine: process.command_line\nUser: [actor.user, target.user]\n");
  write(dir / "values.yml", "Admins: [root, 'adm_*']\nServers: srv01\n");
  const FieldMapping mapping = FieldMapping::load((dir / "fields.yml").string());
  EXPECT_EQ(mapping.paths_of("User"), (std::vector<std::string>{"actor.user", "target.user"}));
  EXPECT_EQ(mapping.paths_of("Image"), std::vector<std::string>{"Image"});
  const Placeholders placeholders = Placeholders::load((dir / "values.yml").string());
  EXPECT_EQ(*placeholders.values_of("Servers"), std::vector<std::string>{"srv01"});
  EXPECT_EQ(placeholders.values_of("Nope"), nullptr);
  write(dir / "bad.yml", "CommandLine: process..command\n");
  try {
    FieldMapping::load((dir / "bad.yml").string());
    ADD_FAILURE() << "a bad path was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.yml: line 1: field path 'process..command'"),
              std::string::npos)
        << e.what();
  }
  write(dir / "list.yml", "- a\n- b\n");
  EXPECT_THROW(Placeholders::load((dir / "list.yml").string()), std::runtime_error);
  EXPECT_THROW(FieldMapping::load((dir / "none.yml").string()), std::runtime_error);
  fs::remove_all(dir);
}

TEST(RuleLoading, FieldNamesMustBeJsonPaths) {
  const RuleIssue issue = issue_of("s:\n  a..b: x\ncondition: s");
  EXPECT_EQ(issue.line, 6);
  EXPECT_NE(issue.reason.find("empty segment"), std::string::npos) << issue.reason;
}

}  // namespace
}  // namespace agentsweep::rules
