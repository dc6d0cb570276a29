/** @file
 * The end of `scan` and `merge`: the report on stdout, then the exit status a
 * nightly job alerts on.
 */
#pragma once

#include <cstddef>
#include <string>

#include "cli/report/scan_setup.hpp"
#include "host/state/scan_state.hpp"

namespace agentsweep::cli {

struct ReportOptions {
  std::size_t top = 10;  ///< rows per top list (0: all)
  bool json = false;
};

/// Prints the report; returns 2 when some path was not found (`paths_found`
/// false) or some input not read completely (a read error, or a line longer
/// than a batch), else 1 when a pattern, rule or correlation matched, else 0.
int print_report(const state::ScanState& state, const report::ScanSetup& setup,
                 const std::string& backend, const std::string& backend_description,
                 const ReportOptions& options, bool paths_found);

}  // namespace agentsweep::cli
