/** @file
 * Values for the %placeholders% of `expand` values, from a YAML file mapping each
 * placeholder name to its values (Sigma strings: wildcards allowed):
 *
 *     Administrators: [admin, 'adm_*']
 *     DomainControllers: dc01
 */
#pragma once

#include <map>
#include <string>
#include <vector>

namespace agentsweep::rules {

class Placeholders {
 public:
  /// Throws std::runtime_error naming the file (and line) when it cannot be used.
  static Placeholders load(const std::string& path);

  void add(const std::string& name, std::vector<std::string> values);

  /// The values of `name`, or nullptr when it has none.
  const std::vector<std::string>* values_of(const std::string& name) const;

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

}  // namespace agentsweep::rules
