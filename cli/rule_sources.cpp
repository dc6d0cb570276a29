/** @file
 * Rule sources: options, loading, issue lines.
 */
#include "cli/rule_sources.hpp"

#include <ostream>

namespace agentsweep::cli {

void add_rule_source_options(CLI::App& command, RuleSourceFiles& files) {
  command.add_option("--field-map", files.field_map,
                     "YAML file mapping Sigma field names to JSON paths (default: field names "
                     "are JSON paths in dot notation)");
  command.add_option("--placeholders", files.placeholders,
                     "YAML file with the values of %placeholders% used by |expand");
}

rules::RuleSet load_rule_sources(const std::vector<std::string>& paths,
                                 const RuleSourceFiles& files) {
  rules::LoadOptions load;
  if (!files.field_map.empty()) load.fields = rules::FieldMapping::load(files.field_map);
  if (!files.placeholders.empty())
    load.placeholders = rules::Placeholders::load(files.placeholders);
  return rules::load_rules(paths, load);
}

void print_issue(const rules::RuleIssue& issue, std::ostream& out) {
  out << issue.file;
  if (issue.line > 0) out << ':' << issue.line;
  out << ": " << (issue.kind == rules::IssueKind::kRejected ? "rejected" : "not yet supported")
      << ": " << (issue.id.empty() ? "(no id)" : issue.id);
  if (!issue.title.empty()) out << " \"" << issue.title << '"';
  out << ": " << issue.reason << '\n';
}

}  // namespace agentsweep::cli
