/** @file
 * Merging saved states.
 */
#include "cli/merge_command.hpp"

#include <future>
#include <iostream>
#include <stdexcept>

#include "cli/exit_codes.hpp"
#include "cli/state_memory.hpp"
#include "cli/thread_count.hpp"
#include "host/state/state_file.hpp"

namespace agentsweep::cli {

namespace {

/// The report of a state indexes its setup's patterns, rules and correlations.
report::ScanSetup setup_of(const state::SavedState& saved, const std::string& path) {
  report::ScanSetup setup;
  try {
    setup = report::setup_from_json(saved.setup);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  const state::ScanState& s = saved.state;
  if (setup.patterns.size() != s.pattern_hits().size() ||
      setup.rules.run.size() != s.rule_hits().size() ||
      setup.rules.correlations.size() != s.correlations().size())
    throw std::runtime_error(path +
                             ": the state does not match its own scan description; "
                             "write it again with `agentsweep scan --save-state`");
  return setup;
}

}  // namespace

CLI::App& add_merge_command(CLI::App& app, MergeOptions& o) {
  CLI::App& merge = *app.add_subcommand(
      "merge",
      "Report on several saved scan states (scan --save-state) as one scan of all their "
      "inputs, in the order given. The states must come from the same patterns, rules and "
      "fields");
  merge.add_option("states", o.paths, "State files")->required();
  merge.add_option("--top", o.report.top, "Rows in each top list of the report (0: all)")
      ->capture_default_str();
  merge.add_flag("--json", o.report.json, "Print the report as one JSON document");
  merge.add_option("--save-state", o.save_state, "Also write the merged state to FILE");
  add_state_memory_options(merge, o.state_memory, o.temp_dir);
  merge
      .add_option("-j,--threads", o.threads,
                  "Threads that load and sort states; from 2 on, the next state loads while one "
                  "merges, which holds one state more in memory (0: all cores)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  return merge;
}

int run_merge_command(const MergeOptions& options) {
  try {
    const std::size_t threads = thread_count(options.threads);
    // The merged state and the one being added, and with a thread to spare the next one,
    // loading meanwhile, share the memory.
    const std::size_t held = threads > 1 ? 3 : 2;
    const state::SpillOptions spill{options.state_memory / held, options.temp_dir, threads};
    const auto load_ahead = [&](std::size_t i) {
      return std::async(threads > 1 ? std::launch::async : std::launch::deferred,
                        [&, i] { return state::load_state(options.paths[i], spill); });
    };
    std::future<state::SavedState> ahead;
    if (options.paths.size() > 1) ahead = load_ahead(1);
    state::SavedState merged = state::load_state(options.paths.front(), spill);
    for (std::size_t i = 1; i < options.paths.size(); ++i) {
      const state::SavedState next = ahead.get();
      if (i + 1 < options.paths.size()) ahead = load_ahead(i + 1);
      if (next.setup != merged.setup)
        throw std::runtime_error(options.paths[i] +
                                 ": scanned with other patterns, rules or "
                                 "entity fields than " +
                                 options.paths.front() +
                                 "; merge only states of the same scan command");
      merged.state.merge(next.state);
    }
    if (!options.save_state.empty())
      state::save_state(options.save_state, merged.state, merged.setup);
    return print_report(merged.state, setup_of(merged, options.paths.front()), "merge",
                        std::to_string(options.paths.size()) + " saved states", options.report,
                        true);
  } catch (const std::exception& e) {
    std::cerr << "agentsweep: " << e.what() << '\n';
    return kExitError;
  }
}

}  // namespace agentsweep::cli
