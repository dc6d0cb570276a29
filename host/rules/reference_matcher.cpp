/** @file
 * The reference matcher.
 */
#include "host/rules/reference_matcher.hpp"

#include <memory>

#include <nlohmann/json.hpp>

#include "host/rules/event_fields.hpp"
#include "host/rules/value_evaluator.hpp"

namespace agentsweep::rules {

RuleMatcher::RuleMatcher(CompiledRule rule, const engine::CompileLimits& limits)
    : rule_(std::move(rule)), field_scopes_(rule_.fields.size()) {
  std::vector<std::vector<engine::PatternSpec>> specs(rule_.fields.size() + 1);
  for (std::uint32_t i = 0; i < rule_.patterns.size(); ++i) {
    engine::PatternSpec spec = rule_.patterns[i];
    Scope& scope = spec.field == engine::kWholeLine ? line_scope_ : field_scopes_[spec.field];
    std::vector<engine::PatternSpec>& scope_specs =
        specs[spec.field == engine::kWholeLine ? rule_.fields.size() : spec.field];
    // A field's decoded value is matched as a whole text, like a line.
    spec.field = engine::kWholeLine;
    scope_specs.push_back(spec);
    scope.rule_pattern.push_back(i);
  }
  line_scope_.set = engine::compile_patterns(specs.back(), limits);
  for (std::size_t f = 0; f < rule_.fields.size(); ++f)
    field_scopes_[f].set = engine::compile_patterns(specs[f], limits);
}

bool RuleMatcher::matches(std::string_view line) const {
  const auto texts = field_texts(line, rule_.fields);
  if (!texts) return false;
  const nlohmann::json event = nlohmann::json::parse(line);
  const auto pattern_results = std::make_unique<bool[]>(rule_.patterns.size());
  const auto run = [&](const Scope& scope, std::string_view text) {
    if (scope.rule_pattern.empty()) return;
    for (const std::uint32_t id : engine::match_line(scope.set, text))
      pattern_results[scope.rule_pattern[id]] = true;
  };
  run(line_scope_, line);
  for (std::size_t f = 0; f < rule_.fields.size(); ++f)
    if ((*texts)[f]) run(field_scopes_[f], *(*texts)[f]);
  const auto value_results = std::make_unique<bool[]>(rule_.values.size());
  for (std::size_t v = 0; v < rule_.values.size(); ++v)
    value_results[v] = evaluate(rule_.values[v], event, rule_.fields);
  return evaluate(rule_.program, {pattern_results.get(), rule_.patterns.size()},
                  {value_results.get(), rule_.values.size()});
}

bool matches(const CompiledRule& rule, std::string_view line) {
  return RuleMatcher(rule).matches(line);
}

}  // namespace agentsweep::rules
