/** @file
 * Runs whole scans in-process and returns the JSON report, so tests can
 * replay one input through every configuration and demand identical output.
 */
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/report/json_report.hpp"
#include "cli/report/summary.hpp"
#include "host/pipeline/scan_pipeline.hpp"

namespace agentsweep::testing {

struct ScanConfig {
  io::BatchLimits limits;
  std::vector<engine::PatternSpec> patterns;
  std::vector<std::string> pattern_fields;
  engine::CompileLimits compile_limits;
  std::size_t decode_workers = 1;  ///< files decoded at once
  std::size_t scan_lanes = 1;      ///< batches scanned at once, at most the backend's lanes
  state::SpillOptions spill{};     ///< the state's memory for spillable tallies
  std::size_t merge_threads = 0;   ///< ScanState::set_merge_threads
};

/// The report of scanning `paths` with `backend`, without the backend's name
/// (the only part allowed to differ between backends).
inline nlohmann::json scan_report(engine::Backend& backend, const std::vector<std::string>& paths,
                                  const ScanConfig& config,
                                  std::vector<std::string>* diagnostics = nullptr) {
  engine::ScanPlanOptions plan_options;
  plan_options.patterns = config.patterns;
  plan_options.pattern_fields = config.pattern_fields;
  plan_options.limits = config.compile_limits;
  const engine::ScanPlan plan = engine::make_scan_plan(plan_options);
  backend.load(plan);
  std::vector<io::PathProblem> problems;
  const auto files = io::discover_input_files(paths, problems);
  state::ScanState state(plan.patterns.patterns.size(), 0, 0, 0, config.spill);
  state.set_merge_threads(config.merge_threads);
  pipeline::PipelineOptions options;
  options.limits = config.limits;
  options.limits.memory = backend.batch_memory();
  options.decode_workers = config.decode_workers;
  options.scan_lanes = config.scan_lanes;
  pipeline::run_scan(files, backend, state, options, [&](std::string_view line) {
    if (diagnostics) diagnostics->emplace_back(line);
  });
  std::ostringstream out;
  report::write_json(out, report::summarize(state, report::describe(plan, {}), backend.name(),
                                            backend.description(), 0));
  nlohmann::json doc = nlohmann::json::parse(out.str());
  doc.erase("backend");
  return doc;
}

}  // namespace agentsweep::testing
