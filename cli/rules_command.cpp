/** @file
 * The rules subcommand: load, then report problems (check) or rules (list).
 */
#include "cli/rules_command.hpp"

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include "cli/exit_codes.hpp"
#include "cli/rule_sources.hpp"

namespace agentsweep::cli {
namespace {

using rules::IssueKind;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

void print_list(const rules::RuleSet& set, std::ostream& out) {
  struct Row {
    std::string id, level, status, kind, title, tags;
  };
  std::vector<Row> rows;
  const auto row = [&](const rules::RuleInfo& i, std::string kind) {
    rows.push_back({i.id.empty() ? "-" : i.id, i.level.empty() ? "-" : i.level,
                    i.status.empty() ? "-" : i.status, std::move(kind), i.title, join(i.tags)});
  };
  for (const rules::CompiledRule& r : set.rules)
    row(r.info, r.standalone ? "detection" : "correlated");
  for (const rules::CorrelationRule& c : set.correlations)
    row(c.info, c.standalone ? "correlation" : "chained");
  for (const rules::GlobalFilter& f : set.filters) row(f.info, "filter");
  Row widths{"ID", "LEVEL", "STATUS", "KIND", "TITLE", "TAGS"};
  std::size_t w[4] = {2, 5, 6, 4};
  for (const Row& r : rows) {
    w[0] = std::max(w[0], r.id.size());
    w[1] = std::max(w[1], r.level.size());
    w[2] = std::max(w[2], r.status.size());
    w[3] = std::max(w[3], r.kind.size());
  }
  const auto print = [&](const Row& r) {
    out << r.id << std::string(w[0] - r.id.size() + 2, ' ') << r.level
        << std::string(w[1] - r.level.size() + 2, ' ') << r.status
        << std::string(w[2] - r.status.size() + 2, ' ') << r.kind
        << std::string(w[3] - r.kind.size() + 2, ' ') << r.title;
    if (!r.tags.empty()) out << "  [" << r.tags << ']';
    out << '\n';
  };
  print(widths);
  for (const Row& r : rows) print(r);
}

}  // namespace

CLI::App& add_rules_command(CLI::App& app, RulesOptions& o) {
  CLI::App& rules =
      *app.add_subcommand("rules", "Check or list Sigma detection rules (see docs/sigma.md)");
  rules.require_subcommand(1);
  const auto add_common = [&o](CLI::App& sub) {
    sub.add_option("paths", o.paths,
                   "Rule files (several YAML documents each) or directories (walked "
                   "recursively for *.yml and *.yaml)")
        ->required();
    add_rule_source_options(sub, o.sources);
  };
  CLI::App& check = *rules.add_subcommand(
      "check",
      "Load rules and print every rule that will not run: file, line, id, title and why. "
      "Exit status: 0 all loaded, 1 some not, 2 usage error");
  add_common(check);
  check.callback([&o] { o.action = RulesAction::kCheck; });
  CLI::App& list = *rules.add_subcommand(
      "list", "Load rules and print id, level, status, kind, title and tags of each");
  add_common(list);
  list.callback([&o] { o.action = RulesAction::kList; });
  return rules;
}

int run_rules_command(const RulesOptions& options, std::ostream& out, std::ostream& err) {
  rules::RuleSet set;
  try {
    set = load_rule_sources(options.paths, options.sources);
  } catch (const std::runtime_error& e) {
    err << "agentsweep: " << e.what() << '\n';
    return kExitError;
  }
  if (options.action == RulesAction::kList) {
    print_list(set, out);
    for (const rules::RuleIssue& issue : set.issues) print_issue(issue, err);
  } else {
    for (const rules::RuleIssue& issue : set.issues) print_issue(issue, out);
    const std::size_t feeding = static_cast<std::size_t>(std::count_if(
        set.rules.begin(), set.rules.end(), [](const auto& r) { return !r.standalone; }));
    out << set.documents << " rules: " << set.rules.size() << " loaded";
    if (feeding > 0) out << " (" << feeding << " only as input of correlation rules)";
    out << ", " << set.count(IssueKind::kNotYetSupported) << " not yet supported, "
        << set.count(IssueKind::kRejected) << " rejected\n";
  }
  return set.issues.empty() ? kExitClean : kExitRulesSkipped;
}

}  // namespace agentsweep::cli
