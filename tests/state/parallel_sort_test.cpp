/** @file
 * parallel_sort against std::sort: the same order, and the same records, for
 * any number of threads and for ranges on both sides of the size at which it
 * starts splitting; a comparison that sees only part of a record leaves its
 * equal records in some order, never loses or duplicates one.
 */
#include "host/state/parallel_sort.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace agentsweep::state {
namespace {

using Record = std::pair<std::uint32_t, std::uint32_t>;  // (key, serial number)

bool key_less(const Record& a, const Record& b) {
  return a.first < b.first;
}

/// Records with few distinct keys, so that most have equal ones.
std::vector<Record> random_records(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<Record> records(n);
  for (std::size_t i = 0; i < n; ++i)
    records[i] = {static_cast<std::uint32_t>(rng() % 1000), static_cast<std::uint32_t>(i)};
  return records;
}

TEST(ParallelSort, SortsLikeStdSortOnAnyNumberOfThreads) {
  const std::size_t split = 2 * kRecordsPerSortThread;  // the least it splits
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, split - 1, split, 5 * split + 7}) {
    const std::vector<Record> records = random_records(n, static_cast<unsigned>(n));
    std::vector<Record> all_sorted = records;
    std::sort(all_sorted.begin(), all_sorted.end());
    for (const std::size_t threads : {1, 2, 3, 4, 7}) {
      std::vector<Record> sorted = records;
      parallel_sort(sorted.begin(), sorted.end(), key_less, threads);
      EXPECT_TRUE(std::is_sorted(sorted.begin(), sorted.end(), key_less))
          << n << " records, " << threads << " threads";
      std::sort(sorted.begin(), sorted.end());  // equal keys in any order: the same records?
      EXPECT_EQ(sorted, all_sorted) << n << " records, " << threads << " threads";
    }
  }
}

}  // namespace
}  // namespace agentsweep::state
