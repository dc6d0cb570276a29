/** @file
 * The report as aligned text tables, for people at a terminal.
 */
#pragma once

#include <ostream>

#include "cli/report/summary.hpp"

namespace agentsweep::report {

void print_table(std::ostream& out, const Summary& summary);

}  // namespace agentsweep::report
