/** @file
 * Everything a backend needs to scan batches: the field paths to locate, which
 * of them are the entities (agent, operator, key, address, time) and which are
 * pattern scopes, and the
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

/// JSON paths (dot notation) of the entities and the time; defaults from docs/schema.md.
struct EntityPaths {
  std::string agent = "actor.agent_id";
  std::string op = "actor.operator_id";
  std::string key = "auth.api_key_id";
  std::string ip = "request.ip";
  std::string time = "ts";
};

struct ScanPlanOptions {
  EntityPaths entities;
  /// A pattern's `field` indexes `pattern_fields` (or is kWholeLine).
  std::vector<PatternSpec> patterns;
  std::vector<std::string> pattern_fields;
  CompileLimits limits;
};

struct ScanPlan {
  /// The entity fields (in EntityFields order), then the pattern fields.
  FieldPaths fields;
  kernels::EntityFields entities;
  PatternSet patterns;  ///< fields renumbered to index `fields`
};

/// Fields a plan can hold besides the entity fields.
inline constexpr std::size_t kMaxPatternFields =
    kernels::kMaxFields - kernels::EntityFields::kCount;

/// Throws std::invalid_argument (PatternError for patterns) with a message for the user.
ScanPlan make_scan_plan(const ScanPlanOptions& options);

/// Reads one pattern per line of `path` (a trailing "\r" is dropped).
/// Throws std::runtime_error naming the file (and line) on failure.
std::vector<std::string> read_pattern_file(const std::string& path);

}  // namespace agentsweep::engine
