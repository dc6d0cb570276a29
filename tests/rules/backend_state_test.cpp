/** @file
 * A saved scan state is the same file whatever computed it: each backend, at a small
 * batch size with one thread and a state memory small enough to spill, and merging in
 * shards on 8 threads, writes the bytes the CPU backend writes with its defaults, for the bundled
 * rule pack (detections and correlation windows) plus patterns over generated zstd files with every
 * incident kind. On a machine without a GPU the CUDA case is skipped with the reason.
 */
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "generator.hpp"
#include "tests/support/backends.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep {
namespace {

namespace fs = std::filesystem;

/// 30,000 events of 5,000 agents over 2 days (two zstd files of several frames), with
/// 4 incidents of each kind but dormant_wake (it needs 16 days).
const std::vector<std::string>& inputs() {
  static const testing::TempDir scratch;  // removed when the test binary exits
  static const std::vector<std::string> files = [] {
    gen::GeneratorOptions options;
    options.events = 30'000;
    options.days = 2;
    options.agents = 5'000;
    options.operators = 80;
    options.seed = 23;
    options.threads = 2;
    options.frame_size = 1u << 20;
    options.incidents.fill(4);
    options.incidents[static_cast<std::size_t>(gen::IncidentKind::kDormantWake)] = 0;
    options.out_dir = scratch.path();
    std::vector<std::string> paths;
    for (const gen::GeneratedFile& file : gen::generate(options).files)
      paths.push_back((options.out_dir / file.name).string());
    return paths;
  }();
  return files;
}

/// The state file `agentsweep scan` saves with `options`, read back whole.
std::string saved_state(const std::string& name, const std::vector<std::string>& options) {
  const std::string path = (fs::path(inputs().front()).parent_path() / (name + ".state")).string();
  std::vector<std::string> argv{
      AGENTSWEEP_BINARY,
      "scan",
      "-q",
      "--save-state",
      path,
      "--rules",
      (fs::path(AGENTSWEEP_SOURCE_DIR) / "rules" / "agent-platform").string(),
      "-e",
      "AKIA[0-9A-Z]{16}",
      "-e",
      "ignore (all )?previous instructions"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.insert(argv.end(), inputs().begin(), inputs().end());
  const testing::ChildResult r = testing::run_child(argv, fs::temp_directory_path());
  EXPECT_EQ(r.exit_code, 1) << name << ": " << r.err;  // the incidents are findings
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class BackendState : public ::testing::TestWithParam<std::string> {};

TEST_P(BackendState, SavedStateIsTheCpuStateByteForByte) {
  AGENTSWEEP_BACKEND_OR_SKIP(backend, GetParam());
  const std::string reference = saved_state("reference", {"--backend", "cpu"});
  ASSERT_GT(reference.size(), 100'000u) << "a state with agents, windows and correlation entries";
  EXPECT_TRUE(saved_state(GetParam(), {"--backend", GetParam()}) == reference)
      << GetParam() << " with its defaults saved other bytes than the CPU backend";
  EXPECT_TRUE(
      saved_state(GetParam() + "-small", {"--backend", GetParam(), "-j", "1", "--batch-size", "64K",
                                          "--state-memory", "64K"}) == reference)
      << GetParam() << " with 64K batches on one thread, spilling, saved other bytes";
  // From -j 8 on, the maps' rows are merged in shards by several threads (sharded_rows.hpp).
  EXPECT_TRUE(saved_state(GetParam() + "-sharded", {"--backend", GetParam(), "-j", "8",
                                                    "--batch-size", "256K"}) == reference)
      << GetParam() << " merging in shards on 8 threads saved other bytes";
}

INSTANTIATE_TEST_SUITE_P(AllBackends, BackendState, ::testing::ValuesIn(testing::kCliBackendNames));

}  // namespace
}  // namespace agentsweep
