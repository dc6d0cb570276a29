/** @file
 * The spillable sorted-run store against an in-memory sort and merge: random
 * records under budgets from tiny (hundreds of runs, merged many times) to
 * ample (no spill), read twice, sorted on one thread or several, merged from
 * any number of sources; its memory stays within the budget, and a budget far beyond the machine's
 * memory is not reserved whole; a directory it cannot write to is an error that names it and the
 * way out.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "host/state/scan_state.hpp"
#include "host/state/spill_runs.hpp"

namespace agentsweep::state {
namespace {

/// What the store must hand out: sorted, equal records merged.
std::vector<CorrelationRecord> sorted_and_merged(std::vector<CorrelationRecord> records) {
  std::sort(records.begin(), records.end(), CorrelationRecord::less);
  std::vector<CorrelationRecord> merged;
  for (const CorrelationRecord& r : records) {
    if (!merged.empty() && CorrelationRecord::same(merged.back(), r))
      merged.back().events += r.events;
    else
      merged.push_back(r);
  }
  return merged;
}

std::vector<CorrelationRecord> read_all(const SpillRuns<CorrelationRecord>& store) {
  std::vector<CorrelationRecord> out;
  store.for_each([&](const CorrelationRecord& r) { out.push_back(r); });
  return out;
}

/// Few distinct keys and times, so that equal records meet within and across runs.
std::vector<CorrelationRecord> random_records(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::vector<CorrelationRecord> records(n);
  for (CorrelationRecord& r : records)
    r = {rng() % 3, rng() % 50, static_cast<std::int64_t>(rng() % 200) - 100, rng() % 4,
         1 + rng() % 9};
  return records;
}

TEST(SpillRuns, AHugeBudgetIsNotReservedWhole) {
  // 64 TiB, the most --state-memory takes: reserving its two thirds at the first
  // record would be refused on any machine; a few records take a few pages.
  const std::vector<CorrelationRecord> records = random_records(1000, 3);
  SpillRuns<CorrelationRecord> store({std::size_t{1} << 46, ""});
  for (const CorrelationRecord& r : records) store.add(r);
  EXPECT_EQ(read_all(store), sorted_and_merged(records));
  EXPECT_EQ(store.stats().runs, 0u);
}

TEST(SpillRuns, ReadsLikeAnInMemorySortAndMergeUnderAnyBudget) {
  const std::vector<CorrelationRecord> records = random_records(40000, 1);
  const std::vector<CorrelationRecord> expected = sorted_and_merged(records);
  for (const std::size_t budget :
       {std::size_t{4} << 10, std::size_t{64} << 10, std::size_t{1} << 20, std::size_t{64} << 20}) {
    SpillRuns<CorrelationRecord> store({budget, ""});
    for (const CorrelationRecord& r : records) store.add(r);
    EXPECT_EQ(read_all(store), expected) << "budget " << budget;
    EXPECT_EQ(read_all(store), expected) << "budget " << budget << ", read again";
    EXPECT_LE(store.stats().peak_memory_bytes, budget) << "budget " << budget;
    if (budget == std::size_t{4} << 10) {
      // Far more runs than are kept: they were merged into one, over and over.
      EXPECT_GT(store.stats().runs, 2 * SpillRuns<CorrelationRecord>::kMaxRuns);
      EXPECT_GT(store.stats().bytes_written, records.size() * sizeof(CorrelationRecord) / 2);
    }
    if (budget == std::size_t{64} << 20) {
      EXPECT_EQ(store.stats().runs, 0u);
    }
  }
}

TEST(SpillRuns, RecordsAddedAfterAReadAreReadNextTime) {
  const std::vector<CorrelationRecord> first = random_records(5000, 2);
  const std::vector<CorrelationRecord> second = random_records(5000, 3);
  SpillRuns<CorrelationRecord> store({std::size_t{8} << 10, ""});
  for (const CorrelationRecord& r : first) store.add(r);
  EXPECT_EQ(read_all(store), sorted_and_merged(first));
  for (const CorrelationRecord& r : second) store.add(r);
  std::vector<CorrelationRecord> both = first;
  both.insert(both.end(), second.begin(), second.end());
  EXPECT_EQ(read_all(store), sorted_and_merged(both));
}

TEST(SpillRuns, AscendingStretchesReadLikeASortWhateverTheirNumber) {
  // As batches add them: each batch's records ascending, the batches in no order. Few
  // stretches are merged, many (beyond kMaxStretches) sorted; both read the same.
  for (const std::size_t stretches : {std::size_t{1}, std::size_t{2}, std::size_t{17},
                                      SpillRuns<CorrelationRecord>::kMaxStretches + 1,
                                      3 * SpillRuns<CorrelationRecord>::kMaxStretches}) {
    std::vector<CorrelationRecord> records;
    for (std::size_t s = 0; s < stretches; ++s) {
      std::vector<CorrelationRecord> stretch =
          random_records(20000 / stretches + s % 3, static_cast<unsigned>(100 + s));
      std::sort(stretch.begin(), stretch.end(), CorrelationRecord::less);
      records.insert(records.end(), stretch.begin(), stretch.end());
    }
    for (const std::size_t budget : {std::size_t{4} << 10, std::size_t{64} << 20}) {
      SpillRuns<CorrelationRecord> store({budget, ""});
      for (const CorrelationRecord& r : records) store.add(r);
      EXPECT_EQ(read_all(store), sorted_and_merged(records))
          << stretches << " stretches, budget " << budget;
      EXPECT_LE(store.stats().peak_memory_bytes, budget) << stretches << " stretches";
    }
  }
}

TEST(SpillRuns, SortingOnSeveralThreadsReadsTheSameRecords) {
  // Enough records for parallel_sort to split them, in no order (no ascending stretches).
  const std::vector<CorrelationRecord> records = random_records(300000, 4);
  const std::vector<CorrelationRecord> expected = sorted_and_merged(records);
  for (const std::size_t threads : {2, 4}) {
    // 16 MiB: a buffer of 279,620 records, sorted when full; 64 MiB: sorted when read.
    for (const std::size_t budget : {std::size_t{16} << 20, std::size_t{64} << 20}) {
      SpillRuns<CorrelationRecord> store({budget, "", threads});
      for (const CorrelationRecord& r : records) store.add(r);
      EXPECT_EQ(read_all(store), expected) << threads << " threads, budget " << budget;
    }
  }
}

TEST(SpillRuns, AnyNumberOfSourcesMergesLikeASort) {
  // The tournament tree over 1 to 20 sorted sources, some of them empty, of
  // lengths that leave each source exhausted at its own time.
  for (std::size_t sources = 1; sources <= 20; ++sources) {
    std::vector<std::vector<CorrelationRecord>> ranges(sources);
    std::vector<CorrelationRecord> all;
    for (std::size_t s = 0; s < sources; ++s) {
      if (s % 5 == 3) continue;  // an empty source
      ranges[s] = random_records(50 * s + 7, static_cast<unsigned>(1000 + sources * 31 + s));
      std::sort(ranges[s].begin(), ranges[s].end(), CorrelationRecord::less);
      all.insert(all.end(), ranges[s].begin(), ranges[s].end());
    }
    std::vector<detail::RunCursor<CorrelationRecord>> cursors;
    for (const std::vector<CorrelationRecord>& range : ranges)
      cursors.emplace_back(range.data(), range.data() + range.size());
    std::vector<CorrelationRecord> merged;
    detail::merge_cursors(cursors, [&](const CorrelationRecord& r) { merged.push_back(r); });
    EXPECT_EQ(merged, sorted_and_merged(all)) << sources << " sources";
  }
}

TEST(SpillRuns, MergingEqualRecordsInMemoryOftenSavesTheSpill) {
  SpillRuns<AgentSecond> store({std::size_t{64} << 10, ""});
  for (int round = 0; round < 1000; ++round)
    for (std::uint64_t agent = 0; agent < 50; ++agent)
      store.add({agent, round % 10, 1});  // 500 distinct records, 50,000 added
  EXPECT_EQ(store.stats().runs, 0u);
  std::uint64_t events = 0;
  std::size_t distinct = 0;
  store.for_each([&](const AgentSecond& r) {
    events += r.events();
    ++distinct;
  });
  EXPECT_EQ(events, 50000u);
  EXPECT_EQ(distinct, 500u);
}

TEST(SpillRuns, AnUnwritableDirectoryIsAnErrorNamingItAndTheWayOut) {
  SpillRuns<AgentSecond> store({std::size_t{4} << 10, "/nonexistent/agentsweep-spill"});
  try {
    for (std::int64_t s = 0; s < 100000; ++s) store.add({1, s, 1});
    FAIL() << "no error";
  } catch (const SpillError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("/nonexistent/agentsweep-spill"), std::string::npos) << what;
    EXPECT_NE(what.find("--temp-dir"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace agentsweep::state
