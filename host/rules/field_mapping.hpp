/** @file
 * Where a Sigma field lives in the JSON events, like a pySigma field-name mapping: a YAML
 * file maps field names to dotted JSON paths (one, or a list meaning "any of these").
 * Fields without an entry are taken as dotted paths themselves.
 *
 *     CommandLine: process.command_line
 *     User: [actor.user, target.user]
 */
#pragma once

#include <map>
#include <string>
#include <vector>

namespace agentsweep::rules {

class FieldMapping {
 public:
  /// Throws std::runtime_error naming the file (and line) when it cannot be used.
  static FieldMapping load(const std::string& path);

  /// Throws std::invalid_argument when a path is not a valid dotted JSON path.
  void add(const std::string& field, std::vector<std::string> paths);

  /// The JSON paths of `field`: its mapping, or the field name itself.
  std::vector<std::string> paths_of(const std::string& field) const;

 private:
  std::map<std::string, std::vector<std::string>> paths_;
};

/// Throws std::invalid_argument, saying what to fix, unless `path` is a dotted JSON path
/// the engine can locate.
void check_field_path(const std::string& path);

}  // namespace agentsweep::rules
