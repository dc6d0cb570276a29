/** @file
 * Loading Sigma rules: files (several YAML documents each) and directories (walked
 * recursively, in sorted order) become compiled detection rules, validated correlation
 * rules and global filters, and one issue per rule that will not run, saying why, in
 * which file and at which line. A rule is never half-read: it loads completely or is
 * reported.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "host/rules/compiled_rule.hpp"
#include "host/rules/correlation.hpp"
#include "host/rules/field_mapping.hpp"
#include "host/rules/placeholders.hpp"

namespace agentsweep::rules {

enum class IssueKind : std::uint8_t {
  kRejected,         ///< malformed, or a feature agentsweep does not support
  kNotYetSupported,  ///< valid, but needs the aggregation engine (correlations, filters, ...)
};

struct RuleIssue {
  IssueKind kind = IssueKind::kRejected;
  std::string file;
  int line = 0;  ///< of the offending YAML node (1-based), 0 when unknown
  std::string id;
  std::string title;
  std::string reason;
};

struct LoadOptions {
  FieldMapping fields;
  Placeholders placeholders;
};

struct RuleSet {
  std::vector<CompiledRule> rules;
  std::vector<CorrelationRule> correlations;  ///< validated; each also has an issue
  std::vector<GlobalFilter> filters;          ///< validated; each also has an issue
  std::vector<RuleIssue> issues;              ///< every rule document that does not run
  std::size_t documents = 0;                  ///< rule documents read

  std::size_t count(IssueKind kind) const;
};

/// Loads `paths` (files or directories). Throws std::runtime_error only for a path that
/// does not exist or cannot be listed; problems inside files become issues.
RuleSet load_rules(const std::vector<std::string>& paths, const LoadOptions& options = {});

/// Loads YAML text as if read from a file called `file` (tests, rules built in memory).
RuleSet load_rules_from_text(const std::string& text, const std::string& file,
                             const LoadOptions& options = {});

}  // namespace agentsweep::rules
