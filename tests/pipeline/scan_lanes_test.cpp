/** @file
 * Scan lanes: batches are scanned at once on several lanes, a lane's failure
 * stops the scan with that error instead of leaving the others waiting for
 * their turn, and the state still takes results in order (the reports'
 * equality for any number of lanes is in byte_accounting_test.cpp).
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/pipeline/scan_pipeline.hpp"
#include "kernels/cpu/cpu_backend.hpp"
#include "tests/support/zstd_files.hpp"

namespace agentsweep {
namespace {

/// The CPU backend, watched: how many scans ran at once, and a failure on
/// the `fail_at`-th batch scanned (counting from 1; 0: never).
class WatchedBackend final : public engine::Backend {
 public:
  WatchedBackend(std::size_t lanes, std::size_t fail_at, bool wait_for_partner)
      : inner_(backends::make_cpu_backend(static_cast<int>(lanes))),
        fail_at_(fail_at),
        wait_for_partner_(wait_for_partner) {}

  std::string name() const override { return inner_->name(); }
  std::string description() const override { return inner_->description(); }
  std::size_t lanes() const override { return inner_->lanes(); }
  std::size_t preferred_batch_bytes() const override { return inner_->preferred_batch_bytes(); }
  void load(const engine::ScanPlan& plan) override { inner_->load(plan); }

  engine::BatchResult scan(const io::Batch& batch, std::size_t lane) override {
    {
      std::unique_lock lock(mutex_);
      const std::size_t number = ++started_;
      if (number == fail_at_) {
        failed_ = true;
        changed_.notify_all();
        throw std::runtime_error("lane " + std::to_string(lane) + " broke");
      }
      most_at_once_ = std::max(most_at_once_, ++running_);
      changed_.notify_all();
      // Until two scans were seen at once, give a second lane the chance to
      // start before this one finishes; never for long.
      if (wait_for_partner_)
        changed_.wait_for(lock, std::chrono::seconds(5),
                          [&] { return failed_ || most_at_once_ > 1; });
    }
    engine::BatchResult result = inner_->scan(batch, lane);
    std::lock_guard lock(mutex_);
    --running_;
    changed_.notify_all();
    return result;
  }

  std::size_t most_at_once() const {
    std::lock_guard lock(mutex_);
    return most_at_once_;
  }

 private:
  std::unique_ptr<engine::Backend> inner_;
  std::size_t fail_at_;
  bool wait_for_partner_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool failed_ = false;
  std::size_t started_ = 0;
  std::size_t running_ = 0;
  std::size_t most_at_once_ = 0;
};

/// A log of `lines` events, cut into many small batches by the options below.
std::vector<io::InputFile> write_log(testing::TempDir& dir, int lines) {
  std::string text;
  for (int i = 0; i < lines; ++i)
    text += R"({"ts":"2026-03-01T00:00:00Z","actor":{"agent_id":"agt_)" + std::to_string(i % 7) +
            R"("},"n":)" + std::to_string(i) + "}\n";
  return {{dir.write("log.jsonl", text)}};
}

bool scan(WatchedBackend& backend, const std::vector<io::InputFile>& files, std::size_t lanes,
          state::ScanState& state) {
  backend.load(engine::make_scan_plan({}));
  pipeline::PipelineOptions options;
  options.limits = {4096, 512};
  options.scan_lanes = lanes;
  return pipeline::run_scan(files, backend, state, options, [](std::string_view) {});
}

TEST(ScanLanes, SeveralBatchesAreScannedAtOnce) {
  testing::TempDir dir;
  const auto files = write_log(dir, 2000);
  WatchedBackend backend(3, 0, true);
  state::ScanState state(0, 0, 0, 0);
  EXPECT_TRUE(scan(backend, files, 3, state));
  EXPECT_GE(backend.most_at_once(), 2u);
  EXPECT_EQ(state.files().at(0).events, 2000u);
}

TEST(ScanLanes, OneLaneIsOneBatchAtATime) {
  testing::TempDir dir;
  const auto files = write_log(dir, 500);
  WatchedBackend backend(3, 0, false);
  state::ScanState state(0, 0, 0, 0);
  EXPECT_TRUE(scan(backend, files, 1, state));
  EXPECT_EQ(backend.most_at_once(), 1u);
}

TEST(ScanLanes, ALaneThatFailsStopsTheScanWithItsError) {
  testing::TempDir dir;
  const auto files = write_log(dir, 2000);
  for (const std::size_t fail_at : {1, 2, 7}) {
    WatchedBackend backend(3, fail_at, true);
    state::ScanState state(0, 0, 0, 0);
    try {
      scan(backend, files, 3, state);
      ADD_FAILURE() << "no error from the failing lane (batch " << fail_at << ")";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("broke"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace agentsweep
