/** @file
 * `agentsweep merge STATE...`: the report of several scans' saved states, as
 * if their inputs had been scanned together in the order given.
 */
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/report_output.hpp"

namespace agentsweep::cli {

struct MergeOptions {
  std::vector<std::string> paths;  ///< state files written by scan --save-state
  ReportOptions report;
  std::string save_state;  ///< empty: the merged state is not saved
  /// Host memory for per-second counts and correlation entries before they spill.
  std::size_t state_memory = std::size_t{64} << 20;
  std::string temp_dir;  ///< where they spill; empty: $TMPDIR, else /tmp
  /// Threads that load and sort; from 2 on, the next state loads while one merges. 0: all cores.
  int threads = 0;
};

CLI::App& add_merge_command(CLI::App& app, MergeOptions& options);

/// Runs a parsed merge; returns the exit status (as scan's, for the merged inputs).
int run_merge_command(const MergeOptions& options);

}  // namespace agentsweep::cli
