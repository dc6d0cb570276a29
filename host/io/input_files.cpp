/** @file
 * Input discovery: files as named, directories walked recursively.
 */
#include "host/io/input_files.hpp"

#include <algorithm>
#include <system_error>

namespace agentsweep::io {

namespace fs = std::filesystem;

std::vector<InputFile> discover_input_files(const std::vector<std::string>& paths,
                                            std::vector<PathProblem>& problems) {
  std::vector<InputFile> files;
  for (const std::string& name : paths) {
    std::error_code error;
    const fs::file_status status = fs::status(name, error);
    if (error || !fs::exists(status)) {
      problems.push_back({name, "no such file or directory"});
      continue;
    }
    if (!fs::is_directory(status)) {
      files.push_back({name});
      continue;
    }
    std::vector<fs::path> found;
    fs::recursive_directory_iterator walk(name, fs::directory_options::none, error);
    for (; !error && walk != fs::recursive_directory_iterator(); walk.increment(error)) {
      if (walk->is_regular_file(error)) found.push_back(walk->path());
    }
    if (error) problems.push_back({name, "cannot walk directory: " + error.message()});
    std::sort(found.begin(), found.end());
    for (fs::path& path : found) files.push_back({std::move(path)});
  }
  return files;
}

}  // namespace agentsweep::io
