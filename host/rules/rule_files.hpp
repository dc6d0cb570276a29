/** @file
 * Which files a list of rule paths names: files as given, directories walked recursively
 * for *.yml and *.yaml, each directory's files in sorted order so loads are repeatable.
 */
#pragma once

#include <string>
#include <vector>

namespace agentsweep::rules {

/// Throws std::runtime_error "PATH: ..." for a path that does not exist or cannot be
/// listed.
std::vector<std::string> rule_files(const std::vector<std::string>& paths);

}  // namespace agentsweep::rules
