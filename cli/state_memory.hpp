/** @file
 * The flags that bound the state's spillable tallies (host/state/spill_runs.hpp),
 * shared by `scan` and `merge`, and the `--stats` lines on what spilled.
 */
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "host/state/spill_runs.hpp"

namespace agentsweep::cli {

/// Declares --state-memory and --temp-dir on `command`.
void add_state_memory_options(CLI::App& command, std::size_t& state_memory, std::string& temp_dir);

/// Prints what the state spilled to `temp_dir` (empty: the default), when it spilled.
void print_spill_stats(std::ostream& out, const state::SpillStats& stats,
                       const std::string& temp_dir);

}  // namespace agentsweep::cli
