/** @file
 * `agentsweep scan`: its options (parsed by CLI11) and how they become a
 * plan, a backend and a report.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/report_output.hpp"
#include "cli/rule_sources.hpp"
#include "host/engine/scan_plan.hpp"
#include "kernels/backend_select.hpp"

namespace agentsweep::cli {

struct ScanOptions {
  std::vector<std::string> paths;
  std::vector<std::string> patterns;
  std::vector<std::string> pattern_files;
  bool fixed_strings = false;
  bool ignore_case = false;
  bool word = false;
  std::string field;                    ///< empty: patterns match whole lines
  std::vector<std::string> rule_paths;  ///< Sigma rule files or directories
  RuleSourceFiles rule_sources;
  std::uint32_t evidence = 5;  ///< matching events located per rule
  std::size_t dfa_states = 200000;
  std::size_t pattern_memory = std::size_t{512} << 20;
  double compile_seconds = 120;  ///< per pattern set; 0: no limit
  std::string backend = "auto";
  engine::EntityPaths entities;
  std::size_t batch_bytes = 0;  ///< 0: the backend's preferred size
  std::size_t read_bytes = std::size_t{1} << 20;
  std::size_t messages_per_file = 10;
  int threads = 0;  ///< decode threads and CPU backend threads; 0: all cores
  std::size_t memory = std::size_t{4} << 30;             ///< host memory for batches in flight
  std::size_t gpu_memory = backends::kDefaultGpuMemory;  ///< the CUDA backend's device memory
  /// Host memory for per-second counts and correlation entries before they spill.
  std::size_t state_memory = std::size_t{64} << 20;
  std::string temp_dir;                ///< where they spill; empty: $TMPDIR, else /tmp
  bool stats = false;                  ///< print seconds per stage on stderr
  std::uint64_t max_expansion = 1000;  ///< decoded bytes per compressed byte; 0: any
  ReportOptions report;
  std::string save_state;  ///< empty: not saved
  bool quiet = false;
};

/// Declares the `scan` subcommand and its flags on `app`.
CLI::App& add_scan_command(CLI::App& app, ScanOptions& options);

/// Runs a parsed scan; returns the process exit code.
int run_scan_command(const ScanOptions& options);

}  // namespace agentsweep::cli
