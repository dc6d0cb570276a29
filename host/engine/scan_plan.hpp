/** @file
 * Everything a backend needs to scan batches: the field paths to locate, which
 * of them are the agent and operator and which are pattern scopes, and the
 * compiled patterns. Built once per scan on the host from user options, then
 * loaded into a backend.
 */
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "host/engine/field_paths.hpp"
#include "host/engine/patterns/pattern_set.hpp"
#include "kernels/scan_line.cuh"

namespace agentsweep::engine {

struct ScanPlanOptions {
  std::string agent_field = "actor.agent_id";
  std::string operator_field = "actor.operator_id";
  /// A pattern's `field` indexes `pattern_fields` (or is kWholeLine).
  std::vector<PatternSpec> patterns;
  std::vector<std::string> pattern_fields;
  CompileLimits limits;
};

struct ScanPlan {
  /// Agent, operator, then the pattern fields.
  FieldPaths fields;
  kernels::EntityFields entities;
  PatternSet patterns;  ///< fields renumbered to index `fields`
};

/// Fields a plan can hold besides agent and operator.
inline constexpr std::size_t kMaxPatternFields = kernels::kMaxFields - 2;

/// Throws std::invalid_argument (PatternError for patterns) with a message for the user.
ScanPlan make_scan_plan(const ScanPlanOptions& options);

/// Reads one pattern per line of `path` (a trailing "\r" is dropped).
/// Throws std::runtime_error naming the file (and line) on failure.
std::vector<std::string> read_pattern_file(const std::string& path);

}  // namespace agentsweep::engine
