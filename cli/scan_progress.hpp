/** @file
 * What `scan` shows on stderr while and after it works: a progress line when
 * stderr is a terminal (bytes done of the total, events per second, time
 * left), and the `--stats` table of where the time went and, on a GPU, the
 * most device memory held.
 */
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ostream>

#include "host/pipeline/scan_pipeline.hpp"
#include "host/state/scan_state.hpp"

namespace agentsweep::cli {

/// A progress line redrawn in place at most a few times a second; cleared by finish().
class ProgressLine {
 public:
  ProgressLine(std::ostream& out, std::uint64_t total_compressed_bytes);
  void update(const pipeline::ProgressPoint& point);
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& out_;
  std::uint64_t total_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_draw_{};
  bool drawn_ = false;
};

/// The `--stats` table: seconds per pipeline stage, and the report's.
void print_stage_stats(std::ostream& out, const pipeline::PipelineStats& stats,
                       const state::MergePartSeconds& parts, double report_seconds);

/// `--stats`' device memory line: the most held at once against the cap;
/// nothing for a host backend (peak 0).
void print_device_memory(std::ostream& out, std::size_t peak_bytes, std::size_t cap_bytes);

}  // namespace agentsweep::cli
