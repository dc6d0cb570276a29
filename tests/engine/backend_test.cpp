/** @file
 * Backend behaviour, parameterised over every backend: the requested backend
 * is the one that runs, and a scan's report is identical whatever the batch
 * size, read size, thread count or backend.
 */
#include <gtest/gtest.h>

#include <random>

#include "tests/support/backends.hpp"
#include "tests/support/scan_report.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep {
namespace {

using testing::ScanConfig;
using testing::TempDir;

class BackendTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BackendTest, RequestedBackendIsTheOneThatRuns) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  EXPECT_EQ(backend->name(), GetParam());
  const auto selected = backends::select_backend(
      GetParam() == "cpu" ? backends::BackendChoice::kCpu : backends::BackendChoice::kCuda, 0);
  EXPECT_EQ(selected.backend->name(), GetParam());
}

/// A log with agents, operators, orphans, decoys, escapes, malformed and blank lines.
std::string mixed_log(std::size_t events, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string text;
  for (std::size_t i = 0; i < events; ++i) {
    const auto agent = "agt_" + std::to_string(rng() % 50);
    const auto op = "op_" + std::to_string(rng() % 7);
    switch (rng() % 10) {
      case 0:
        text += "\n";
        break;
      case 1:
        text += "{\"broken\": \n";
        break;
      case 2:
        text += R"({"actor":{"agent_id":")" + agent +
                R"("},"content":"no operator AKIA"})"
                "\n";
        break;
      case 3:
        text += R"({"content":"{\"actor\":{\"agent_id\":\"decoy\"}}","actor":{"operator_id":")" +
                op + "\"}}\r\n";
        break;
      case 4:
        text += R"({"actor":{"operator_id":")" + op + R"(","agent_\u0069d":")" + agent +
                R"("},"x":"ghp_"})"
                "\n";
        break;
      default:
        text += R"({"ts":"2026-01-01T00:00:00.000Z","actor":{"agent_id":")" + agent +
                R"(","operator_id":")" + op + R"("},"content":"hello )" +
                std::to_string(rng() % 1000) + "\"}\n";
    }
  }
  return text;
}

TEST_P(BackendTest, ReportIsIdenticalForEveryBatchingAndBackend) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  TempDir dir;
  dir.write("logs/a.jsonl.zst", testing::zstd_frames(mixed_log(3000, 1), 777));
  dir.write("logs/b.jsonl", mixed_log(2000, 2));
  const std::vector<std::string> paths{(dir.path() / "logs").string()};
  ScanConfig reference_config;
  reference_config.patterns = {"AKIA", "ghp_", "hello 1", "decoy", "never-present"};
  auto cpu = backends::make_cpu_backend(1);
  const nlohmann::json reference = testing::scan_report(*cpu, paths, reference_config);
  EXPECT_EQ(reference["totals"]["files"], 2);
  EXPECT_GT(reference["totals"]["malformed_lines"].get<int>(), 0);

  for (const std::size_t batch : {300ul, 4096ul, 1ul << 20})
    for (const std::size_t read : {1ul, 333ul, 65536ul}) {
      ScanConfig config = reference_config;
      config.limits = {batch, read};
      EXPECT_EQ(testing::scan_report(*backend, paths, config), reference)
          << GetParam() << " batch " << batch << " read " << read;
    }
}

INSTANTIATE_TEST_SUITE_P(AllBackends, BackendTest, ::testing::ValuesIn(testing::kBackendNames),
                         [](const auto& test) { return test.param; });

}  // namespace
}  // namespace agentsweep
