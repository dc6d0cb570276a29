/** @file
 * Report and exit status.
 */
#include "cli/report_output.hpp"

#include <algorithm>
#include <cstring>
#include <iostream>

#include "cli/exit_codes.hpp"
#include "cli/report/json_report.hpp"
#include "cli/report/stdout_buffer.hpp"
#include "cli/report/summary.hpp"
#include "cli/report/table_report.hpp"

namespace agentsweep::cli {

int print_report(const state::ScanState& state, const report::ScanSetup& setup,
                 const std::string& backend, const std::string& backend_description,
                 const ReportOptions& options, bool paths_found) {
  const report::Summary summary =
      report::summarize(state, setup, backend, backend_description, options.top);
  report::StdoutBuffer buffer;
  std::ostream out(&buffer);
  if (options.json)
    report::write_json(out, summary);
  else
    report::print_table(out, summary);
  out.flush();
  if (buffer.error() != 0) {
    std::cerr << "agentsweep: the report could not be written to standard output: "
              << std::strerror(buffer.error()) << " (is the disk full or the pipe closed?)\n";
    return kExitError;
  }
  // A line left unscanned (longer than a batch) is input not read completely.
  const bool complete = std::all_of(
      state.files().begin(), state.files().end(),
      [](const state::FileSummary& f) { return f.complete() && f.oversized_lines == 0; });
  if (!paths_found || !complete) return kExitError;
  const bool correlated =
      std::any_of(summary.correlations.begin(), summary.correlations.end(),
                  [](const report::CorrelationRow& c) { return !c.hits.empty(); });
  return state.hit_lines() > 0 || correlated ? kExitFindings : kExitClean;
}

}  // namespace agentsweep::cli
