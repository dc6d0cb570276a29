/** @file
 * agentsweep's entry point: subcommand dispatch and exit codes.
 */
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/exit_codes.hpp"
#include "cli/merge_command.hpp"
#include "cli/rules_command.hpp"
#include "cli/scan_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "agentsweep: scan compressed audit logs of AI-agent platforms for patterns, per agent and "
      "operator.\n"
      "Exit status: 0 nothing found, 1 findings, 2 an error (bad usage or input not read "
      "completely)."};
  app.set_version_flag("--version", "agentsweep " AGENTSWEEP_VERSION);
  app.require_subcommand(1);
  agentsweep::cli::ScanOptions scan_options;
  CLI::App& scan = agentsweep::cli::add_scan_command(app, scan_options);
  agentsweep::cli::RulesOptions rules_options;
  CLI::App& rules = agentsweep::cli::add_rules_command(app, rules_options);
  agentsweep::cli::MergeOptions merge_options;
  CLI::App& merge = agentsweep::cli::add_merge_command(app, merge_options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? agentsweep::cli::kExitClean : agentsweep::cli::kExitError;
  }
  if (scan.parsed()) return agentsweep::cli::run_scan_command(scan_options);
  if (rules.parsed())
    return agentsweep::cli::run_rules_command(rules_options, std::cout, std::cerr);
  if (merge.parsed()) return agentsweep::cli::run_merge_command(merge_options);
  return agentsweep::cli::kExitError;
}
