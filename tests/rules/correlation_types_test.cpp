/** @file
 * Every Sigma correlation type through `agentsweep scan` on each backend:
 * temporal, temporal_ordered (with aliases: each rule's own key field),
 * event_count with aliases, value_sum, value_avg, value_percentile,
 * value_median, and a chain (a correlation of a correlation's firings), over
 * planted cases whose outcome is known by construction,
 * hidden in background events spread over three files. The same groups and
 * windows at two batch sizes, and after merging per-file states.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tests/support/backends.hpp"
#include "tests/support/child_process.hpp"

namespace agentsweep {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr const char* kRules = R"(title: Key Created
id: key-created
name: key_created
logsource: {product: test}
detection: {s: {action: create_key}, condition: s}
---
title: Key Used
id: key-used
name: key_used
logsource: {product: test}
detection: {s: {action: use_key}, condition: s}
---
title: Transfer
id: transfer
name: transfer
logsource: {product: test}
detection: {s: {action: transfer}, condition: s}
---
title: Key Used Within A Minute Of Its Creation
id: ordered
correlation:
    type: temporal_ordered
    rules: [key_created, key_used]
    group-by: [key]
    aliases:
        key: {key_created: created.key_id, key_used: auth.api_key_id}
    timespan: 1m
level: high
---
title: User Creates And Uses Keys
id: unordered
correlation: {type: temporal, rules: [key_created, key_used], group-by: [user], timespan: 5m}
level: medium
---
title: Busy Key
id: busy-key
correlation:
    type: event_count
    rules: [key_created, key_used]
    group-by: [key]
    aliases:
        key: {key_created: created.key_id, key_used: auth.api_key_id}
    timespan: 10m
    condition: {gte: 3}
---
title: Large Transfers
id: sum
correlation:
    type: value_sum
    rules: [transfer]
    group-by: [user]
    timespan: 1h
    condition: {field: bytes, gte: 1000000}
---
title: Large Average Transfer
id: avg
correlation:
    type: value_avg
    rules: [transfer]
    group-by: [user]
    timespan: 1h
    condition: {field: bytes, gt: 400000}
---
title: Mostly Tiny Transfers
id: p90
correlation:
    type: value_percentile
    rules: [transfer]
    group-by: [user]
    timespan: 1h
    condition: {field: bytes, percentile: 90, lte: 10}
---
title: Tiny Median Transfer
id: median
correlation:
    type: value_median
    rules: [transfer]
    group-by: [user]
    timespan: 1h
    condition: {field: bytes, lte: 10}
---
title: Failed Login
id: failed-login
name: failed_login
logsource: {product: test}
detection: {s: {action: login_failed}, condition: s}
---
title: Successful Login
id: successful-login
name: successful_login
logsource: {product: test}
detection: {s: {action: login_ok}, condition: s}
---
title: Success After Many Failures
id: chained
correlation:
    type: temporal_ordered
    rules: [many_failed_logins, successful_login]
    group-by: [user]
    timespan: 10m
level: high
---
title: Many Failed Logins
id: many-failed
name: many_failed_logins
correlation: {type: event_count, rules: [failed_login], group-by: [user], timespan: 1m, condition: {gte: 3}}
)";

/// 2026-03-01T00:00:00Z plus `ms`.
std::string at(std::int64_t ms) {
  const std::int64_t s = ms / 1000;
  char text[40];
  std::snprintf(text, sizeof text, "2026-03-01T%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(s / 3600), static_cast<long long>(s / 60 % 60),
                static_cast<long long>(s % 60), static_cast<long long>(ms % 1000));
  return text;
}

std::string created(std::int64_t ms, const std::string& user, const std::string& key) {
  return Json{
      {"ts", at(ms)}, {"action", "create_key"}, {"user", user}, {"created", {{"key_id", key}}}}
      .dump();
}

std::string used(std::int64_t ms, const std::string& user, const std::string& key) {
  return Json{
      {"ts", at(ms)}, {"action", "use_key"}, {"user", user}, {"auth", {{"api_key_id", key}}}}
      .dump();
}

std::string login(std::int64_t ms, const std::string& user, bool ok) {
  return Json{{"ts", at(ms)}, {"action", ok ? "login_ok" : "login_failed"}, {"user", user}}.dump();
}

std::string transfer(std::int64_t ms, const std::string& user, const Json& bytes) {
  return Json{{"ts", at(ms)}, {"action", "transfer"}, {"user", user}, {"bytes", bytes}}.dump();
}

/// The planted cases (comments give what fires), then background events that
/// no rule matches, dealt over three files in random order.
struct Dataset {
  fs::path dir;
  Dataset() {
    dir = fs::temp_directory_path() / ("agentsweep_correlation_types_" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::vector<std::string> lines{
        // ordered fires from 100 s (30.5 s later); unordered fires for u-a.
        created(100'000, "u-a", "k-ordered"),
        used(130'500, "u-a", "k-ordered"),
        // 61 s apart: not ordered within 1 minute; unordered (5 m) fires for u-b.
        created(1'000'000, "u-b", "k-late"),
        used(1'061'000, "u-b", "k-late"),
        // Used before created: not ordered; unordered fires for u-c from 2000 s.
        used(2'000'000, "u-c", "k-reversed"),
        created(2'010'000, "u-c", "k-reversed"),
        // The same millisecond is in order.
        created(3'000'250, "u-d", "k-same-ms"),
        used(3'000'250, "u-d", "k-same-ms"),
        // 299.5 s apart, the first late in its second: within 5 m, so unordered fires for
        // u-g (a window from the whole second would end 0.9 s too early).
        created(7'000'900, "u-g", "k-subsecond"),
        used(7'300'400, "u-g", "k-subsecond"),
        // Created, never used: nothing fires for u-e.
        created(4'000'000, "u-e", "k-unused"),
        // Three events of one key in 10 m: busy-key fires; not ordered (120 s later).
        created(5'000'000, "u-f", "k-busy"),
        used(5'120'000, "u-f", "k-busy"),
        used(5'200'000, "u-f", "k-busy"),
        // 3 x 400,000 in 30 m: sum fires; the average is not above 400,000.
        transfer(10'000'000, "u-big", 400000),
        transfer(10'600'000, "u-big", 400000),
        transfer(11'800'000, "u-big", 400000),
        // 600,000 twice, 2 h apart: no sum; the average fires from the first.
        transfer(20'000'000, "u-spread", 600000),
        transfer(27'200'000, "u-spread", 600000),
        // Three failures in 20 s fire many-failed when the third comes; the success 100 s
        // later completes the chain for u-brute.
        login(50'000'000, "u-brute", false),
        login(50'010'000, "u-brute", false),
        login(50'020'000, "u-brute", false),
        login(50'120'000, "u-brute", true),
        // Four failures and the success between the third and the fourth: many-failed fires
        // at the third, so the chain completes for u-quick.
        login(53'000'000, "u-quick", false),
        login(53'010'000, "u-quick", false),
        login(53'020'000, "u-quick", false),
        login(53'025'000, "u-quick", true),
        login(53'030'000, "u-quick", false),
        // Failures 70 s apart never make three in a minute: no chain for u-slow.
        login(51'000'000, "u-slow", false),
        login(51'070'000, "u-slow", false),
        login(51'140'000, "u-slow", false),
        login(51'200'000, "u-slow", true),
        // The success comes before the failures: no chain for u-early.
        login(52'000'000, "u-early", true),
        login(52'001'000, "u-early", false),
        login(52'002'000, "u-early", false),
        login(52'003'000, "u-early", false),
        // Numbers in strings are not numbers: nothing fires for u-string.
        transfer(30'000'000, "u-string", "5000000"),
        transfer(30'001'000, "u-string", "5"),
    };
    // Ten tiny transfers and one of 1,000,000 in 10 m: p90 and median are 5;
    // the sum is 1,000,050.
    for (int i = 0; i < 10; ++i) lines.push_back(transfer(40'000'000 + i * 1000, "u-small", 5));
    lines.push_back(transfer(40'600'000, "u-small", 1000000));

    std::mt19937_64 rng(3);
    for (int i = 0; i < 30000; ++i)
      lines.push_back(Json{{"ts", at(static_cast<std::int64_t>(rng() % 86'400'000))},
                           {"action", "read"},
                           {"user", "u-" + std::to_string(rng() % 8)},
                           {"bytes", rng() % 2'000'000}}
                          .dump());
    std::shuffle(lines.begin(), lines.end(), rng);
    for (int f = 0; f < 3; ++f) {
      std::ofstream out(dir / ("part-" + std::to_string(f) + ".jsonl"));
      for (std::size_t i = static_cast<std::size_t>(f); i < lines.size(); i += 3)
        out << lines[i] << '\n';
    }
    std::ofstream(dir / "rules.yml") << kRules;
  }
  ~Dataset() { fs::remove_all(dir); }
};

const Dataset& dataset() {
  static const Dataset d;
  return d;
}

std::vector<std::string> inputs() {
  std::vector<std::string> files;
  for (int f = 0; f < 3; ++f)
    files.push_back((dataset().dir / ("part-" + std::to_string(f) + ".jsonl")).string());
  return files;
}

Json run_json(std::vector<std::string> args) {
  args.insert(args.begin(), AGENTSWEEP_BINARY);
  const auto r = testing::run_child(args, fs::temp_directory_path());
  EXPECT_EQ(r.exit_code, 1) << r.err;  // the correlations are findings
  return Json::parse(r.out).at("correlations");
}

Json scan(const std::string& backend, const std::string& batch,
          const std::vector<std::string>& more = {}) {
  std::vector<std::string> args{"scan", "--backend", backend,
                                "-q",   "--json",    "--batch-size",
                                batch,  "--rules",   (dataset().dir / "rules.yml").string()};
  args.insert(args.end(), more.begin(), more.end());
  for (const std::string& f : inputs()) args.push_back(f);
  return run_json(args);
}

/// Per correlation id: "group@start" -> count, or value for the numeric types.
std::map<std::string, std::map<std::string, double>> outcomes(const Json& correlations) {
  std::map<std::string, std::map<std::string, double>> found;
  for (const Json& c : correlations) {
    std::map<std::string, double>& groups = found[c["id"]];
    for (const Json& hit : c["hits"]) {
      const std::string key =
          hit["group"][0].get<std::string>() + "@" + hit["start"].get<std::string>();
      groups[key] = hit.contains("value") ? hit["value"].get<double>() : hit["count"].get<double>();
    }
  }
  return found;
}

class CorrelationTypes : public ::testing::TestWithParam<std::string> {};

TEST_P(CorrelationTypes, EachTypeFindsExactlyItsPlantedGroups) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  const Json found = scan(GetParam(), "64M");
  using Groups = std::map<std::string, double>;
  const auto result = outcomes(found);
  EXPECT_EQ(result.at("ordered"),
            (Groups{{"k-ordered@" + at(100'000), 2}, {"k-same-ms@" + at(3'000'250), 2}}));
  // Windows start at the exact millisecond of an event.
  EXPECT_EQ(result.at("unordered"), (Groups{{"u-a@" + at(100'000), 2},
                                            {"u-b@" + at(1'000'000), 2},
                                            {"u-c@" + at(2'000'000), 2},
                                            {"u-d@" + at(3'000'250), 2},
                                            {"u-f@" + at(5'000'000), 2},
                                            {"u-g@" + at(7'000'900), 2}}));
  EXPECT_EQ(result.at("busy-key"), (Groups{{"k-busy@" + at(5'000'000), 3}}));
  EXPECT_EQ(result.at("sum"), (Groups{{"u-big@" + at(10'000'000), 1'200'000},
                                      {"u-small@" + at(40'000'000), 1'000'050}}));
  // u-small's last tiny transfer and its large one average 500,002.5.
  EXPECT_EQ(result.at("avg"), (Groups{{"u-spread@" + at(20'000'000), 600'000},
                                      {"u-small@" + at(40'009'000), 500'002.5}}));
  EXPECT_EQ(result.at("p90"), (Groups{{"u-small@" + at(40'000'000), 5}}));
  EXPECT_EQ(result.at("median"), (Groups{{"u-small@" + at(40'000'000), 5}}));
  // The chain starts when its first step fired: at many-failed's third failure. many-failed
  // only feeds the chain, so it is no finding of its own.
  EXPECT_EQ(result.at("chained"),
            (Groups{{"u-brute@" + at(50'020'000), 2}, {"u-quick@" + at(53'020'000), 2}}));
  EXPECT_FALSE(result.contains("many-failed"));
  for (const Json& c : found)
    if (c["id"] == "ordered") {
      EXPECT_EQ(c["group_by"], Json::array({"key"}));  // the alias, as the rule names it
      EXPECT_EQ(c["hits"][0]["end"], at(160'000));
    }
}

TEST_P(CorrelationTypes, WindowsSpanBatchesFilesAndMergedStates) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  const Json whole = scan(GetParam(), "64M");
  EXPECT_EQ(scan(GetParam(), "64K"), whole);
  std::vector<std::string> merge{"merge", "--json"};
  for (const std::string& file : inputs()) {
    const std::string state = file + "." + GetParam() + ".state";
    const auto r = testing::run_child(
        {AGENTSWEEP_BINARY, "scan", "--backend", GetParam(), "-q", "--save-state", state, "--rules",
         (dataset().dir / "rules.yml").string(), file},
        fs::temp_directory_path());
    ASSERT_LE(r.exit_code, 1) << r.err;
    merge.push_back(state);
  }
  EXPECT_EQ(run_json(merge), whole);
}

// Correlation entries spill to many runs under a tiny --state-memory: every window and
// chained firing is the same, in one scan and in a merge of states written and read that way.
TEST_P(CorrelationTypes, SpilledEntriesGiveTheSameWindows) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  const Json whole = scan(GetParam(), "64M");
  EXPECT_EQ(scan(GetParam(), "256K", {"--state-memory", "4K"}), whole);
  std::vector<std::string> stats{AGENTSWEEP_BINARY,
                                 "scan",
                                 "--backend",
                                 GetParam(),
                                 "-q",
                                 "--stats",
                                 "--state-memory",
                                 "4K",
                                 "--rules",
                                 (dataset().dir / "rules.yml").string()};
  for (const std::string& f : inputs()) stats.push_back(f);
  const auto spilled = testing::run_child(stats, fs::temp_directory_path());
  EXPECT_NE(spilled.err.find("Spilled to"), std::string::npos) << spilled.err;
  std::vector<std::string> merge{"merge", "--json", "--state-memory", "4K"};
  for (const std::string& file : inputs()) {
    const std::string state = file + "." + GetParam() + ".spilled.state";
    const auto r = testing::run_child(
        {AGENTSWEEP_BINARY, "scan", "--backend", GetParam(), "-q", "--state-memory", "4K",
         "--save-state", state, "--rules", (dataset().dir / "rules.yml").string(), file},
        fs::temp_directory_path());
    ASSERT_LE(r.exit_code, 1) << r.err;
    merge.push_back(state);
  }
  EXPECT_EQ(run_json(merge), whole);
}

INSTANTIATE_TEST_SUITE_P(AllBackends, CorrelationTypes,
                         ::testing::ValuesIn(testing::kCliBackendNames));

}  // namespace
}  // namespace agentsweep
