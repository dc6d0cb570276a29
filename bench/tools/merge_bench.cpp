/** @file
 * The state's merge alone, without decoding or scanning: synthetic batches of
 * a large population (rows of agents, and of operators, keys and addresses
 * with their agent) merged into a ScanState, once per way of running it:
 * whole maps on one thread, the five parts side by side (merge_in_parts, as
 * `scan -j 8` and more ran them before the shards), and each map's rows in
 * shards (sharded_rows.hpp) on 2, 4, ... up to N threads. Prints
 * seconds and rows per second for each, so the merge's scaling is measured on
 * any machine in seconds. Not a test: figures go into docs/benchmarks.md.
 *
 * Usage: agentsweep-merge-bench [most-threads] [batches]   (default: all cores, 80)
 */
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "host/state/scan_state.hpp"

namespace {

using namespace agentsweep;

constexpr std::size_t kRowsPerBatch = 115'000;  ///< events in a 64 MiB batch of the generator's
constexpr std::uint64_t kAgents = 1'500'000;
constexpr std::uint64_t kOperators = 17'000;
constexpr std::uint64_t kKeys = 2'000'000;
constexpr std::uint64_t kAddresses = 3'000'000;
constexpr std::size_t kDistinctBatches = 16;  ///< cycled: later batches find their keys

/// Batches of random members of each population, every id the same 12 bytes.
std::vector<engine::BatchResult> make_batches(const std::string& bytes) {
  std::mt19937_64 rng(7);
  const auto member = [&](std::uint64_t population, std::uint64_t odd) {
    return (rng() % population) * odd | 1;  // spread like a hash, never kNoEntity
  };
  std::vector<engine::BatchResult> batches(kDistinctBatches);
  for (engine::BatchResult& b : batches) {
    b.bytes = bytes.data();
    b.rows = kernels::BatchRows::kReduced;
    for (std::size_t i = 0; i < kRowsPerBatch; ++i) {
      engine::AgentTally agent;
      agent.key = member(kAgents, 0x9E3779B97F4A7C15ull);
      agent.id = {0, 12, false};
      agent.events = 1;
      agent.first_ms = agent.last_ms = static_cast<std::int64_t>(i);
      b.agents.push_back(agent);
      const std::pair<std::vector<engine::EntityAgentTally>*, std::uint64_t> entities[] = {
          {&b.operators, kOperators}, {&b.keys, kKeys}, {&b.ips, kAddresses}};
      for (const auto& [rows, population] : entities)
        rows->push_back({member(population, 0xC2B2AE3D27D4EB4Full), agent.key, {0, 12, false}, 1});
    }
  }
  return batches;
}

/// Seconds to merge `count` batches with `helpers` threads besides the caller's.
double merge_seconds(const std::vector<engine::BatchResult>& batches, int count,
                     std::size_t helpers, std::size_t shards) {
  state::ScanState state(0);
  state.set_merge_threads(helpers, shards);
  const std::uint32_t file = state.add_file("synthetic");
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i)
    state.add_batch(file, batches[static_cast<std::size_t>(i) % batches.size()]);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t most = argc > 1 ? std::strtoul(argv[1], nullptr, 10)
                                    : std::max(1u, std::thread::hardware_concurrency());
  const int count = argc > 2 ? std::atoi(argv[2]) : 80;
  if (most == 0 || count <= 0) {
    std::fprintf(stderr, "usage: agentsweep-merge-bench [most-threads] [batches]\n");
    return 2;
  }
  const std::string bytes = "agt_00000000";
  const std::vector<engine::BatchResult> batches = make_batches(bytes);
  const double rows = 4.0 * static_cast<double>(kRowsPerBatch) * count;
  std::printf("%d batches of %zu rows in each of 4 maps (%.0f M rows), %llu agents\n", count,
              kRowsPerBatch, rows / 1e6, static_cast<unsigned long long>(kAgents));
  std::printf("%-32s %8s %12s\n", "merge", "seconds", "M rows/s");
  const auto row = [&](const std::string& what, double seconds) {
    std::printf("%-32s %8.2f %12.1f\n", what.c_str(), seconds, rows / seconds / 1e6);
  };
  // Untimed: the process's first maps of this size fault in fresh pages, which later ones
  // find in the allocator's heap; without it the first row measured 30-40 % slower.
  merge_seconds(batches, count, 0, 1);
  row("whole maps, 1 thread", merge_seconds(batches, count, 0, 1));
  const std::size_t part_threads = std::min<std::size_t>(most, 5);
  row("five parts, " + std::to_string(part_threads) + " threads",
      merge_seconds(batches, count, part_threads - 1, 1));
  for (std::size_t threads = 2; threads <= most; threads *= 2)
    row("shards, " + std::to_string(threads) + " threads",
        merge_seconds(batches, count, threads - 1, threads));
  return 0;
}
