/** @file
 * Correlation rows of a report: each correlation's groups judged over the whole
 * scan, with the firings of the correlations it chains counted as its events.
 */
#pragma once

#include <vector>

#include "cli/report/scan_setup.hpp"
#include "cli/report/summary.hpp"
#include "host/state/scan_state.hpp"

namespace agentsweep::report {

/// The rows of the correlations that alert (CorrelationInfo::alerts), in catalog order.
std::vector<CorrelationRow> correlation_rows(const state::ScanState& state,
                                             const RuleCatalog& rules);

}  // namespace agentsweep::report
