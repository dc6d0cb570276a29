/** @file
 * Everything a backend needs to scan batches: the field paths to locate, which
 * of them are the agent and operator, and the compiled patterns. Built once
 * per scan on the host from user options, then loaded into a backend.
 */
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "host/engine/field_paths.hpp"
#include "host/engine/literal_compiler.hpp"
#include "kernels/scan_line.cuh"

namespace agentsweep::engine {

struct ScanPlanOptions {
  std::string agent_field = "actor.agent_id";
  std::string operator_field = "actor.operator_id";
  std::vector<std::string> patterns;  ///< literal patterns matched against whole lines
  std::size_t pattern_memory = std::size_t{512} << 20;
};

struct ScanPlan {
  FieldPaths fields;
  kernels::EntityFields entities;
  std::vector<std::string> patterns;
  std::vector<LiteralAutomaton> automata;

  std::size_t automaton_states() const;
  std::size_t automaton_memory() const;
};

/// Throws std::invalid_argument with a message for the user.
ScanPlan make_scan_plan(const ScanPlanOptions& options);

/// Reads one literal pattern per line of `path` (a trailing "\r" is dropped).
/// Throws std::runtime_error naming the file (and line) on failure.
std::vector<std::string> read_pattern_file(const std::string& path);

}  // namespace agentsweep::engine
