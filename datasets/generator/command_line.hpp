/** @file
 * agentsweep-gen's flags (CLI11) and their translation into GeneratorOptions.
 */
#pragma once

#include <optional>

#include "options.hpp"

namespace agentsweep::gen {

/** Parses argv. Prints help, version or a usage error itself; returns nothing then and
 * sets `exit_code` (0 for help, 2 for bad usage). */
std::optional<GeneratorOptions> parse_command_line(int argc, char** argv, int& exit_code);

}  // namespace agentsweep::gen
