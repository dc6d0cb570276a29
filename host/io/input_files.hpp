/** @file
 * Expands the paths a user names into the list of files to scan.
 */
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace agentsweep::io {

struct InputFile {
  std::filesystem::path path;
};

struct PathProblem {
  std::string path;
  std::string message;
};

/// Files named directly come in the order given; directories are walked
/// recursively and their regular files added in sorted path order. Paths that
/// do not exist or cannot be walked are reported in `problems`.
std::vector<InputFile> discover_input_files(const std::vector<std::string>& paths,
                                            std::vector<PathProblem>& problems);

}  // namespace agentsweep::io
