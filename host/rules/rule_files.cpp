/** @file
 * Rule path discovery.
 */
#include "host/rules/rule_files.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace agentsweep::rules {

std::vector<std::string> rule_files(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw std::runtime_error(path + ": no such file or directory");
    if (!fs::is_directory(status)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      const fs::path& p = it->path();
      if (it->is_regular_file() && (p.extension() == ".yml" || p.extension() == ".yaml"))
        found.push_back(p.string());
    }
    if (ec) throw std::runtime_error(path + ": cannot list the directory: " + ec.message());
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace agentsweep::rules
