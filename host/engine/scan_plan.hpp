/** @file
 * Everything a backend needs to scan batches: the field paths to locate, which
 * of them are the entities (agent, operator, key, address, time) and which are
 * pattern scopes, and the
 * compiled patterns. Built once per scan on the host from user options, then
 * loaded into a backend.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/engine/field_paths.hpp"
#include "host/engine/patterns/pattern_set.hpp"
#include "host/engine/rule_program.hpp"
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
  RuleProgram rules;
  std::uint32_t evidence_per_rule = 5;  ///< lines located per rule (per batch, then per scan)
  CompileLimits limits;                 ///< for patterns and rule predicates together
};

/// A RuleProgram compiled for backends.
struct RulePlan {
  /// Mask-mode automata (at most 64 patterns each) over the pattern
  /// predicates; their pattern ids are predicate ids, fields plan fields.
  PatternSet predicates;
  std::vector<kernels::ValuePredicateView> values;  ///< fields are span indexes
  std::string value_text;
  std::vector<kernels::RuleOp> code;
  std::vector<std::uint32_t> rule_begin{0};
  std::uint32_t rules = 0;
  std::uint32_t predicate_words = 0;  ///< per line
  std::uint32_t rule_words = 0;       ///< per line
  std::uint32_t evidence_per_rule = 0;
  std::vector<std::uint8_t> alerts;  ///< per rule
  std::vector<kernels::CorrelationView> correlations;
};

struct ScanPlan {
  /// The entity fields (in EntityFields order), then the pattern fields.
  FieldPaths fields;
  kernels::EntityFields entities;
  PatternSet patterns;  ///< fields renumbered to index `fields`
  RulePlan rules;
};

/// Fields a plan can hold besides the entity fields.
inline constexpr std::size_t kMaxPatternFields =
    kernels::kMaxFields - kernels::EntityFields::kCount;

/// Throws std::invalid_argument (PatternError for patterns, RulePredicateError
/// for rule predicates) with a message for the user.
ScanPlan make_scan_plan(const ScanPlanOptions& options);

/// A rule's pattern predicate that cannot be compiled.
class RulePredicateError : public std::invalid_argument {
 public:
  RulePredicateError(std::uint32_t rule, const std::string& message)
      : std::invalid_argument(message), rule_(rule) {}
  std::uint32_t rule() const { return rule_; }

 private:
  std::uint32_t rule_;
};

/// Reads one pattern per line of `path` (a trailing "\r" is dropped).
/// Throws std::runtime_error naming the file (and line) on failure.
std::vector<std::string> read_pattern_file(const std::string& path);

}  // namespace agentsweep::engine
