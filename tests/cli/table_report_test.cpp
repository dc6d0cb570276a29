/** @file
 * The table report: a correlation that names many groups lists the earliest
 * `--top` of them and says how many more there are; the numeric correlation
 * types show their condition and values exactly as written; the lines that
 * patterns or rules matched are one input figure, not a pattern figure.
 */
#include "cli/report/table_report.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace agentsweep::report {
namespace {

Summary summary_with_groups(std::size_t groups, std::size_t top) {
  Summary s;
  s.top = top;
  CorrelationRow row;
  row.correlation.info.title = "Noisy";
  row.correlation.type = "event_count";
  row.correlation.timespan_seconds = 60;
  for (std::size_t g = 0; g < groups; ++g)
    row.hits.push_back({{"agent_" + std::to_string(g)},
                        static_cast<std::int64_t>(g) * 1000,
                        static_cast<std::int64_t>(g) * 1000 + 60000,
                        5});
  s.correlations.push_back(row);
  return s;
}

TEST(TableReport, ManyCorrelationGroupsAreCutToTopWithACount) {
  std::ostringstream out;
  print_table(out, summary_with_groups(12, 3));
  const std::string table = out.str();
  EXPECT_NE(table.find("Correlation: Noisy (event_count >= 1 in 60 s; level -): 12 groups"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("agent_2\n"), std::string::npos);
  EXPECT_EQ(table.find("agent_3\n"), std::string::npos);
  EXPECT_NE(table.find("... 9 more groups (all of them with --json or --top 0)"), std::string::npos)
      << table;

  std::ostringstream all;
  print_table(all, summary_with_groups(12, 0));
  EXPECT_NE(all.str().find("agent_11\n"), std::string::npos);
  EXPECT_EQ(all.str().find("more groups"), std::string::npos);
}

TEST(TableReport, LinesMatchedByPatternsOrRulesAreAnInputFigure) {
  Summary s;
  s.totals.hit_lines = 7;
  std::ostringstream none;
  print_table(none, s);
  EXPECT_EQ(none.str().find("lines matched"), std::string::npos) << none.str();

  s.rules.emplace_back();  // a rule ran, no pattern was given
  std::ostringstream with_rule;
  print_table(with_rule, s);
  EXPECT_NE(with_rule.str().find("lines matched                 7 (by a pattern or rule)\n"),
            std::string::npos)
      << with_rule.str();
  EXPECT_EQ(with_rule.str().find("\nPatterns"), std::string::npos);
}

TEST(TableReport, NumericCorrelationsShowTheirBoundsAndValuesInFull) {
  Summary s;
  CorrelationRow row;
  row.correlation.info.title = "Large Average Transfer";
  row.correlation.type = "value_avg";
  row.correlation.timespan_seconds = 3600;
  row.correlation.condition.bounds = {{"gt", 400000.5}, {"neq", 1e21}};
  row.hits.push_back({{"u2"}, 0, 3600000, 2, 450000.125});
  s.correlations.push_back(row);
  std::ostringstream out;
  print_table(out, s);
  EXPECT_NE(out.str().find("(value_avg > 400000.5 and != 1e+21 in 3600 s; level -): 1 groups"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("450000.125  1970-01-01T00:00:00.000Z  u2"), std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace agentsweep::report
