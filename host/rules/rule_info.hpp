/** @file
 * A rule's metadata, as `rules list` shows it and reports name it, with where the rule
 * was read from.
 */
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace agentsweep::rules {

struct RuleInfo {
  std::string file;
  int line = 0;  ///< where the rule's YAML document starts (1-based)
  std::string id;
  std::string name;  ///< the optional name correlation rules may refer to it by
  std::string title;
  std::string description;
  std::string status;  ///< stable, test, experimental, deprecated, unsupported, or empty
  std::string level;   ///< informational, low, medium, high, critical, or empty
  std::vector<std::string> tags;
  std::vector<std::string> references;
  std::vector<std::string> falsepositives;
  std::vector<std::pair<std::string, std::string>> logsource;  ///< category, product, ...
};

}  // namespace agentsweep::rules
