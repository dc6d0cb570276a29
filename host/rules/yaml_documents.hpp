/** @file
 * Reading YAML for rules and their configuration with yaml-cpp: the documents of a rule
 * file, with Sigma 1.x collection actions applied (`action: global` merges into the
 * documents after it, `reset` forgets it, `repeat` re-uses the previous rule with
 * changes), and small helpers that report what is wrong with a node and on which line.
 */
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace agentsweep::rules {

/// A problem at a line of a YAML file (1-based; 0 when unknown).
class YamlError : public std::runtime_error {
 public:
  YamlError(int line, const std::string& message) : std::runtime_error(message), line_(line) {}
  int line() const { return line_; }

 private:
  int line_;
};

struct RuleDocument {
  YAML::Node node;
  int line = 0;       ///< where the document starts
  std::string error;  ///< non-empty: this document cannot be a rule, and why
};

/// The rule documents of `path` in order (empty documents and collection actions
/// removed). Throws YamlError for a file that is not valid YAML (then none of its rules
/// can be trusted) and std::runtime_error when it cannot be read.
std::vector<RuleDocument> read_rule_documents(const std::string& path);

/// The same for YAML text already in memory.
std::vector<RuleDocument> parse_rule_documents(const std::string& text);

int line_of(const YAML::Node& node);

/// Checks that the keys of `map` are strings and appear once each (YAML parsers keep one
/// of several, silently). Throws YamlError naming the key and its lines.
void check_unique_keys(const YAML::Node& map);

/// A string or a list of strings, else YamlError naming `what`.
std::vector<std::string> string_list(const YAML::Node& node, const std::string& what);

/// Calls `entry` for each key of the top-level map of the YAML file `path`, whose values
/// are strings or lists of strings. Throws std::runtime_error "path: line N: ..." when the
/// file is not such a map (`what` says what it should hold) or `entry` throws
/// std::invalid_argument.
void for_each_map_entry(
    const std::string& path, const std::string& what,
    const std::function<void(const std::string&, std::vector<std::string>)>& entry);

}  // namespace agentsweep::rules
