/** @file
 * Building a ScanPlan from options, and reading pattern files.
 */
#include "host/engine/scan_plan.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace agentsweep::engine {

namespace {

constexpr int kEntityFields = kernels::EntityFields::kCount;

/// Compiles rule pattern predicates 64 at a time, so every automaton is in
/// mask mode, within what is left of the memory budget. Regexes with required
/// factors get prefilters, as patterns do: a Sigma `re` over a message field
/// then walks only the lines that hold one of its factors.
PatternSet compile_predicates(const RuleProgram& rules, const std::vector<PatternSpec>& specs,
                              CompileLimits limits) {
  PatternSet all;
  all.patterns = specs;
  all.factors.resize(specs.size());
  for (std::size_t first = 0; first < specs.size(); first += kernels::kMaskPatterns) {
    const std::size_t last = std::min(specs.size(), first + kernels::kMaskPatterns);
    PatternSet part;
    try {
      part = compile_patterns({specs.begin() + static_cast<std::ptrdiff_t>(first),
                               specs.begin() + static_cast<std::ptrdiff_t>(last)},
                              limits);
    } catch (const PatternError& e) {
      throw RulePredicateError(rules.pattern_rule[first + e.pattern()], e.what());
    }
    limits.memory_bytes -= std::min(limits.memory_bytes, part.memory_bytes());
    const auto automata_before = static_cast<std::uint32_t>(all.automata.size());
    for (Automaton& automaton : part.automata) {
      for (std::uint32_t& id : automaton.pattern_ids) id += static_cast<std::uint32_t>(first);
      all.automata.push_back(std::move(automaton));
    }
    std::move(part.factors.begin(), part.factors.end(),
              all.factors.begin() + static_cast<std::ptrdiff_t>(first));
    // A part's prefilters name its automata: renumbered as they join the whole.
    for (Prefilter& prefilter : part.prefilters) {
      for (std::uint32_t& a : prefilter.slot_automata) a += automata_before;
      all.prefilters.push_back(std::move(prefilter));
    }
  }
  return all;
}

std::uint32_t words_for(std::size_t bits) {
  return static_cast<std::uint32_t>((bits + 63) / 64);
}

}  // namespace

ScanPlan make_scan_plan(const ScanPlanOptions& options) {
  const RuleProgram& rules = options.rules;
  if (rules.correlations.size() > kMaxCorrelations)
    throw std::invalid_argument("the rules have " + std::to_string(rules.correlations.size()) +
                                " correlations; one scan takes at most " +
                                std::to_string(kMaxCorrelations) +
                                ": split the rule set over several scans");
  if (rules.patterns.size() > kMaxRulePatterns || rules.rules() > kMaxRules)
    throw std::invalid_argument(
        "the rules have " + std::to_string(rules.rules()) + " detections and " +
        std::to_string(rules.patterns.size()) + " pattern predicates; one scan takes at most " +
        std::to_string(kMaxRules) + " and " + std::to_string(kMaxRulePatterns) +
        ": split the rule set over several scans");
  // Rule fields after the pattern fields, sharing a slot when a path repeats.
  std::vector<std::string> scopes = options.pattern_fields;
  std::vector<int> rule_field(rules.fields.size());
  for (std::size_t f = 0; f < rules.fields.size(); ++f) {
    const auto found = std::find(scopes.begin(), scopes.end(), rules.fields[f]);
    rule_field[f] = static_cast<int>(found - scopes.begin());
    if (found == scopes.end()) scopes.push_back(rules.fields[f]);
  }
  if (scopes.size() > kMaxPatternFields)
    throw std::invalid_argument("the patterns and rules read " + std::to_string(scopes.size()) +
                                " fields; one scan locates at most " +
                                std::to_string(kMaxPatternFields) +
                                ": split the rule set over several scans");

  const kernels::EntityFields entities;
  std::vector<std::string> paths(kEntityFields);
  paths[entities.agent] = options.entities.agent;
  paths[entities.op] = options.entities.op;
  paths[entities.key] = options.entities.key;
  paths[entities.ip] = options.entities.ip;
  paths[entities.time] = options.entities.time;
  paths.insert(paths.end(), scopes.begin(), scopes.end());

  std::vector<PatternSpec> patterns = options.patterns;
  for (PatternSpec& spec : patterns)
    if (spec.field != kWholeLine) spec.field += kEntityFields;
  ScanPlan plan{
      FieldPaths(std::move(paths)), entities, compile_patterns(patterns, options.limits), {}};

  std::vector<PatternSpec> predicates = rules.patterns;
  for (PatternSpec& spec : predicates)
    if (spec.field != kWholeLine) spec.field = kEntityFields + rule_field[spec.field];
  CompileLimits left = options.limits;
  left.memory_bytes -= std::min(left.memory_bytes, plan.patterns.memory_bytes());
  RulePlan& r = plan.rules;
  r.predicates = compile_predicates(rules, predicates, left);
  r.values = rules.values;
  for (kernels::ValuePredicateView& v : r.values) {
    v.field = rule_field[v.field];
    if (v.other_field >= 0) v.other_field = rule_field[v.other_field];
  }
  r.value_text = rules.value_text;
  r.code = rules.code;
  r.rule_begin = rules.rule_begin;
  r.rules = rules.rules();
  r.predicate_words = words_for(rules.patterns.size());
  r.rule_words = words_for(r.rules);
  r.evidence_per_rule = options.evidence_per_rule;
  r.alerts = rules.alerts;
  r.alerts.resize(r.rules, 1);
  for (const CorrelationSpec& spec : rules.correlations) {
    if (spec.slots.empty() || spec.slots.size() > kernels::kMaxCorrelationSlots)
      throw std::invalid_argument("a correlation has " + std::to_string(spec.slots.size()) +
                                  " rule slots; it takes 1 to " +
                                  std::to_string(kernels::kMaxCorrelationSlots));
    kernels::CorrelationView view{};
    view.slots = static_cast<std::int32_t>(spec.slots.size());
    view.value = spec.value;
    view.every_slot = spec.every_slot;
    for (std::size_t s = 0; s < spec.slots.size(); ++s) {
      const CorrelationSlotSpec& slot = spec.slots[s];
      if (slot.group_fields.size() > kernels::kMaxGroupFields)
        throw std::invalid_argument("a correlation groups by " +
                                    std::to_string(slot.group_fields.size()) + " fields; at most " +
                                    std::to_string(kernels::kMaxGroupFields));
      for (const std::uint32_t rule : slot.rules)
        view.rules[s][rule / 64] |= std::uint64_t{1} << (rule % 64);
      view.value_spans[s] = -1;
      if (slot.rules.empty()) continue;  // its events come from another correlation
      view.group_fields = static_cast<std::int32_t>(slot.group_fields.size());
      for (std::size_t f = 0; f < slot.group_fields.size(); ++f)
        view.group_spans[s][f] = rule_field[static_cast<std::size_t>(slot.group_fields[f])];
      view.value_spans[s] =
          slot.value_field < 0 ? -1 : rule_field[static_cast<std::size_t>(slot.value_field)];
    }
    r.correlations.push_back(view);
  }
  return plan;
}

std::vector<std::string> read_pattern_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open pattern file: " + std::strerror(errno));
  std::vector<std::string> patterns;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty())
      throw std::runtime_error(path + ": line " + std::to_string(number) +
                               ": empty pattern would match every line; remove the blank line");
    patterns.push_back(std::move(line));
  }
  if (in.bad()) throw std::runtime_error(path + ": read failed: " + std::strerror(errno));
  return patterns;
}

}  // namespace agentsweep::engine
