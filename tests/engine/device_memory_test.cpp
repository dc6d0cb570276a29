/** @file
 * --gpu-memory: the CUDA backend's device memory stays within its cap on the
 * batches the cap is said to hold (the most lines a batch may have, on every
 * lane at once), and a scan that would need more fails saying what to change.
 * Needs a CUDA device; skipped without one.
 */
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "host/io/batch.hpp"
#include "tests/support/backends.hpp"
#include "tests/support/scan_report.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep {
namespace {

using testing::ScanConfig;
using testing::TempDir;

constexpr std::size_t kMiB = std::size_t{1} << 20;

/// Lines of exactly io::kBytesPerBatchLine bytes, each agent new: a
/// batch holds as many lines as it may, and every key is distinct.
std::string shortest_lines(std::size_t bytes) {
  std::string text;
  char line[80];
  for (std::size_t i = 0; text.size() < bytes; ++i) {
    const int n = std::snprintf(line, sizeof line,
                                "{\"agent_id\":\"a-%07zu\",\"ts\":\"2026-01-01T00:%02zu:00Z\","
                                "\"m\":\"AKIA\"}",
                                i, i % 60);
    text.append(line, static_cast<std::size_t>(n));
    text.append(io::kBytesPerBatchLine - 1 - static_cast<std::size_t>(n), ' ');
    text += '\n';
  }
  return text;
}

ScanConfig config_with_patterns() {
  ScanConfig config;
  config.patterns = {{"AKIA", true}, {"ghp_[A-Za-z0-9]{36}", false}, {"a-0000", true}};
  config.scan_lanes = 3;
  return config;
}

TEST(DeviceMemory, TheLargestBatchTheCapHoldsFitsOnEveryLane) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, "cuda", 512 * kMiB);
  ScanConfig config = config_with_patterns();
  engine::ScanPlanOptions plan;
  plan.patterns = config.patterns;
  backend->load(engine::make_scan_plan(plan));
  const std::size_t batch = backend->largest_batch_bytes();
  ASSERT_GE(batch, kMiB);
  EXPECT_LT(batch, 512 * kMiB / 3);
  EXPECT_EQ(backend->preferred_batch_bytes(), std::min(64 * kMiB, batch));

  TempDir dir;
  const auto file = dir.write("short.jsonl", shortest_lines(4 * batch));
  config.limits.batch_bytes = batch;
  const nlohmann::json report = testing::scan_report(*backend, {file.string()}, config);
  EXPECT_EQ(report["totals"]["events"], 4 * batch / io::kBytesPerBatchLine);
  EXPECT_GT(backend->device_memory_peak(), 0u);
  EXPECT_LE(backend->device_memory_peak(), 512 * kMiB);
}

TEST(DeviceMemory, AScanThatNeedsMoreThanTheCapFailsSayingWhatToChange) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, "cuda", 8 * kMiB);
  TempDir dir;
  const auto file = dir.write("short.jsonl", shortest_lines(8 * kMiB));
  ScanConfig config = config_with_patterns();
  config.limits.batch_bytes = 4 * kMiB;
  try {
    testing::scan_report(*backend, {file.string()}, config);
    FAIL() << "a 4 MiB batch on 3 lanes fit in 8 MiB of device memory";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("raise --gpu-memory or lower --batch-size"),
              std::string::npos)
        << e.what();
  }
  EXPECT_LE(backend->device_memory_peak(), 8 * kMiB);
}

TEST(DeviceMemory, HostBackendsHaveNoCap) {
  const auto backend = backends::make_cpu_backend();
  EXPECT_EQ(backend->largest_batch_bytes(), SIZE_MAX);
  EXPECT_EQ(backend->device_memory_peak(), 0u);
}

}  // namespace
}  // namespace agentsweep
