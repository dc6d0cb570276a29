/** @file
 * `agentsweep rules check PATH...` and `agentsweep rules list PATH...`: load Sigma rules
 * and say which will run. `check` prints every rule that will not, with its file, line,
 * id, title and reason, then counts; `list` prints the loaded rules.
 */
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/rule_sources.hpp"

namespace agentsweep::cli {

enum class RulesAction { kCheck, kList };

struct RulesOptions {
  RulesAction action = RulesAction::kCheck;
  std::vector<std::string> paths;
  RuleSourceFiles sources;
};

/// Exit status of `rules check`/`list` when some rule will not run (0: all loaded, 2:
/// usage errors, a path that does not exist, an unusable mapping file).
inline constexpr int kExitRulesSkipped = 1;

/// Declares the `rules` subcommand, with `check` and `list` under it, on `app`.
CLI::App& add_rules_command(CLI::App& app, RulesOptions& options);

/// Runs a parsed `rules check` or `rules list`; returns the process exit code.
int run_rules_command(const RulesOptions& options, std::ostream& out, std::ostream& err);

}  // namespace agentsweep::cli
