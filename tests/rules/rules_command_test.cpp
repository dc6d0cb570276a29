/** @file
 * `agentsweep rules check` and `rules list` through their entry points: output, counts
 * and exit codes (0 all loaded, 1 some not, 2 usage errors).
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "cli/rules_command.hpp"

namespace agentsweep::cli {
namespace {

namespace fs = std::filesystem;

const std::string kRulePack =
    (fs::path(AGENTSWEEP_SOURCE_DIR) / "rules" / "agent-platform").string();

struct Outcome {
  int code = 0;
  std::string out;
  std::string err;
};

Outcome run_rules(const std::vector<std::string>& args) {
  CLI::App app;
  RulesOptions options;
  add_rules_command(app, options);
  std::vector<std::string> argv = args;
  std::reverse(argv.begin(), argv.end());  // CLI11 parses a reversed vector
  app.parse(argv);
  std::ostringstream out, err;
  const int code = run_rules_command(options, out, err);
  return {code, out.str(), err.str()};
}

TEST(RulesCommand, CheckReportsEveryRuleThatWillNotRun) {
  const fs::path file = fs::temp_directory_path() /
                        ("agentsweep_rules_command_temporal_" + std::to_string(getpid()) + ".yml");
  // pySigma's extended temporal conditions (a boolean expression) do not run yet.
  std::ofstream(file) << "title: Request Without Burst\nid: temporal-1\ncorrelation:\n"
                         "  type: temporal\n  rules: [526605cd-2e9c-4166-baa6-b833eb14aa1f, "
                         "agent_platform_any_agent_request]\n"
                         "  group-by: [actor.agent_id]\n  timespan: 1m\n"
                         "  condition: agent_platform_any_agent_request and not "
                         "526605cd-2e9c-4166-baa6-b833eb14aa1f\n";
  const Outcome r = run_rules({"rules", "check", kRulePack, file.string()});
  EXPECT_EQ(r.code, kExitRulesSkipped);
  EXPECT_NE(r.out.find(file.string() +
                       ":1: not yet supported: temporal-1 \"Request Without Burst\": correlation "
                       "rule (temporal): not yet supported: a temporal condition written as an "
                       "expression"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("16 rules: 10 loaded (5 only as input of correlation rules), 1 not yet "
                       "supported, 0 rejected"),
            std::string::npos)
      << r.out;
  fs::remove(file);
}

TEST(RulesCommand, TheBundledPackLoadsCompletely) {
  const Outcome r = run_rules({"rules", "check", kRulePack});
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("15 rules: 10 loaded (5 only as input of correlation rules), 0 not yet "
                       "supported, 0 rejected"),
            std::string::npos)
      << r.out;
}

TEST(RulesCommand, CheckExitsCleanWhenEverythingLoads) {
  const Outcome r = run_rules({"rules", "check", kRulePack + "/agent_secret_in_content.yml",
                               kRulePack + "/agent_without_operator.yml"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "2 rules: 2 loaded, 0 not yet supported, 0 rejected\n");
}

TEST(RulesCommand, RejectedRulesNameFileLineIdAndTitle) {
  const fs::path file = fs::temp_directory_path() /
                        ("agentsweep_rules_command_bad_" + std::to_string(getpid()) + ".yml");
  std::ofstream(file) << "title: Bad\nid: bad-1\nlogsource: {product: x}\ndetection:\n"
                         "  s: {Image|endwith: x}\n  condition: s\n";
  const Outcome r = run_rules({"rules", "check", file.string()});
  EXPECT_EQ(r.code, kExitRulesSkipped);
  EXPECT_NE(r.out.find(file.string() + ":5: rejected: bad-1 \"Bad\": search identifier 's': "
                                       "'Image|endwith': unknown modifier 'endwith'"),
            std::string::npos)
      << r.out;
  fs::remove(file);
}

TEST(RulesCommand, ListPrintsTheLoadedRules) {
  const Outcome r = run_rules({"rules", "list", kRulePack});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("ID ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("dd5541f9-28e9-446e-ae5d-7315bf691eac  high"), std::string::npos) << r.out;
  EXPECT_NE(
      r.out.find("Credential Posted in Agent Content  [attack.credential-access,attack.t1552]"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("correlation"), std::string::npos);
  EXPECT_NE(r.out.find("Dormant Agent Wakes Up"), std::string::npos);
  EXPECT_EQ(r.err, "");
}

TEST(RulesCommand, UsageErrorsExitTwo) {
  EXPECT_EQ(run_rules({"rules", "check", "/no/such/rules"}).code, 2);
  EXPECT_NE(
      run_rules({"rules", "check", "/no/such/rules"}).err.find("/no/such/rules: no such file"),
      std::string::npos);
  EXPECT_EQ(run_rules({"rules", "check", kRulePack, "--field-map", "/no/such/map.yml"}).code, 2);
  CLI::App app;
  RulesOptions options;
  add_rules_command(app, options);
  EXPECT_THROW(app.parse(std::vector<std::string>{"check", "rules"}), CLI::ParseError);  // no PATH
  EXPECT_THROW(app.parse(std::vector<std::string>{"rules"}), CLI::ParseError);  // no action
}

}  // namespace
}  // namespace agentsweep::cli
