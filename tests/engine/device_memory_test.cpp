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

#if defined(AGENTSWEEP_HAVE_CUDA)
#include "kernels/cuda/cuda_backend.hpp"
#endif

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

/// A CUDA backend with `gpu_memory`, or null with the reason in `why`.
std::unique_ptr<engine::Backend> cuda_backend([[maybe_unused]] std::size_t gpu_memory,
                                              std::string& why) {
#if defined(AGENTSWEEP_HAVE_CUDA)
  if (backends::cuda_device_count(why) > 0) return backends::make_cuda_backend(gpu_memory);
  why = "no CUDA device on this machine (" + why + ")";
#else
  why = "this build has no CUDA backend (nvcc not found at configure time)";
#endif
  return nullptr;
}

#define CUDA_OR_SKIP(name, gpu_memory)              \
  std::string name##_why;                           \
  auto name = cuda_backend(gpu_memory, name##_why); \
  if (!name) GTEST_SKIP() << name##_why

ScanConfig config_with_patterns() {
  ScanConfig config;
  config.patterns = {{"AKIA", true}, {"ghp_[A-Za-z0-9]{36}", false}, {"a-0000", true}};
  config.scan_lanes = 3;
  return config;
}

TEST(DeviceMemory, TheLargestBatchTheCapHoldsFitsOnEveryLane) {
  CUDA_OR_SKIP(backend, 512 * kMiB);
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
  CUDA_OR_SKIP(backend, 8 * kMiB);
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
