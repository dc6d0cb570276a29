/** @file
 * Where Sigma rules come from, shared by `rules check|list` and `scan --rules`:
 * the mapping and placeholder files, loading, and how a skipped rule is printed.
 */
#pragma once

#include <iosfwd>
#include <string>

#include <CLI/CLI.hpp>

#include "host/rules/rule_set.hpp"

namespace agentsweep::cli {

struct RuleSourceFiles {
  std::string field_map;     ///< YAML: Sigma field names to JSON paths (empty: identity)
  std::string placeholders;  ///< YAML: placeholder names to values (empty: none)
};

/// Declares --field-map and --placeholders on `command`.
void add_rule_source_options(CLI::App& command, RuleSourceFiles& files);

/// Loads the rules under `paths`; throws std::runtime_error for a missing path
/// or an unusable mapping or placeholder file.
rules::RuleSet load_rule_sources(const std::vector<std::string>& paths,
                                 const RuleSourceFiles& files);

/// "FILE:LINE: rejected: ID "TITLE": why", one line.
void print_issue(const rules::RuleIssue& issue, std::ostream& out);

}  // namespace agentsweep::cli
