/** @file Population statistics: fleet sizes skewed around the configured mean, activity
 * skewed, the corpus within the configured population. */
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "population.hpp"
#include "test_support.hpp"

namespace agentsweep::gen::testing {
namespace {

std::vector<std::uint32_t> sorted_fleet_sizes(const Population& population) {
  std::vector<std::uint32_t> sizes(population.operator_count(), 0);
  for (std::uint32_t agent = 0; agent < population.agent_count(); ++agent) {
    ++sizes[population.operator_of(agent)];
  }
  std::sort(sizes.begin(), sizes.end());
  return sizes;
}

TEST(Population, DefaultFleetsAreSkewedAroundTheMean) {
  const GeneratorOptions options;  // 1.5 M agents, 17 000 operators
  const Population population(options);
  ASSERT_EQ(population.agent_count(), options.agents);
  ASSERT_EQ(population.operator_count(), options.operators);
  const auto sizes = sorted_fleet_sizes(population);
  EXPECT_GE(sizes.front(), 1u);
  EXPECT_LE(sizes[sizes.size() / 2], 10u) << "most operators run a few agents";
  EXPECT_GE(sizes.back(), 5'000u) << "a few run thousands";
  const auto thousands =
      std::count_if(sizes.begin(), sizes.end(), [](auto s) { return s >= 1000; });
  EXPECT_GT(thousands, 10);
  EXPECT_LT(thousands, static_cast<long>(sizes.size() / 20));
}

TEST(Population, SmallPopulationMeanFleetIsAgentsOverOperators) {
  GeneratorOptions options;
  options.agents = 10'000;
  options.operators = 400;
  const Population population(options);
  const auto sizes = sorted_fleet_sizes(population);
  std::uint64_t total = 0;
  for (auto size : sizes) total += size;
  EXPECT_EQ(total, options.agents);
  EXPECT_DOUBLE_EQ(static_cast<double>(total) / static_cast<double>(sizes.size()), 25.0);
  EXPECT_LT(sizes[sizes.size() / 2], 25u);
}

TEST(Population, CorpusStaysWithinTheConfiguredPopulation) {
  const Corpus& c = corpus();
  std::set<std::string> agents;
  std::set<std::string> operators;
  std::map<std::string, std::size_t> activity;
  for (const Line& line : c.lines) {
    agents.insert(line.agent);
    if (line.operator_id) operators.insert(*line.operator_id);
    ++activity[line.agent];
  }
  EXPECT_LE(agents.size(), c.options.agents);
  EXPECT_LE(operators.size(), c.options.operators);
  EXPECT_GT(operators.size(), c.options.operators / 2);

  std::vector<std::size_t> counts;
  for (const auto& [agent, count] : activity) counts.push_back(count);
  std::sort(counts.rbegin(), counts.rend());
  std::size_t top = 0;
  for (std::size_t i = 0; i < c.options.agents / 100; ++i) top += counts[i];
  EXPECT_GT(top, c.lines.size() / 10) << "the busiest 1% of agents make over 10% of events";
}

}  // namespace
}  // namespace agentsweep::gen::testing
