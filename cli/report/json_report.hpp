/** @file
 * The report as one JSON document (`--json`), for scripts and nightly jobs.
 */
#pragma once

#include <ostream>

#include "cli/report/summary.hpp"

namespace agentsweep::report {

void write_json(std::ostream& out, const Summary& summary);

}  // namespace agentsweep::report
