/** @file
 * Correlation and filter documents.
 */
#include "host/rules/correlation_parser.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <regex>

#include "host/rules/detection_compiler.hpp"
#include "host/rules/rule_error.hpp"
#include "host/rules/sigma_scalar.hpp"
#include "host/rules/yaml_documents.hpp"

namespace agentsweep::rules {
namespace {

[[noreturn]] void reject(int line, const std::string& reason) {
  throw RuleError(IssueKind::kRejected, line, reason);
}

std::vector<std::string> list_of(const YAML::Node& node, const std::string& what) {
  try {
    return string_list(node, what);
  } catch (const YamlError& e) {
    reject(e.line(), e.what());
  }
}

std::int64_t timespan_seconds(const YAML::Node& node) {
  static const std::regex kTimespan("([0-9]+)([smhdwMy])");
  std::smatch m;
  const std::string text = node.IsScalar() ? node.Scalar() : std::string();
  if (!std::regex_match(text, m, kTimespan))
    reject(line_of(node),
           "timespan '" + text + "' is not a number and a unit such as 30s, 15m, 1h or 7d");
  constexpr std::pair<char, std::int64_t> kUnits[] = {{'s', 1},       {'m', 60},     {'h', 3600},
                                                      {'d', 86400},   {'w', 604800}, {'M', 2629746},
                                                      {'y', 31556952}};
  for (const auto& [unit, seconds] : kUnits)
    if (m[2].str()[0] == unit) return std::stoll(m[1].str()) * seconds;
  return 0;
}

/// The whole counts that every bound of a correlation condition accepts.
engine::CountRange count_range(const engine::ValueCondition& condition) {
  double low = 1;  // a window with a count holds an event
  double high = static_cast<double>(engine::CountRange::kUnbounded);
  std::vector<std::uint64_t> excluded;
  for (const engine::ValueBound& bound : condition.bounds) {
    const double v = bound.value;
    const bool whole = v == std::floor(v);
    if (bound.comparison == "gt") low = std::max(low, std::floor(v) + 1);
    if (bound.comparison == "gte") low = std::max(low, std::ceil(v));
    if (bound.comparison == "lt") high = std::min(high, std::ceil(v) - 1);
    if (bound.comparison == "lte") high = std::min(high, std::floor(v));
    if (bound.comparison == "eq") {
      if (!whole) return {1, 0, {}};  // no count equals a fraction
      low = std::max(low, v);
      high = std::min(high, v);
    }
    if (bound.comparison == "neq" && whole && v >= 1)
      excluded.push_back(static_cast<std::uint64_t>(v));
  }
  if (high < low) return {1, 0, {}};  // accepts nothing
  engine::CountRange range;
  range.min = static_cast<std::uint64_t>(low);
  if (high < static_cast<double>(engine::CountRange::kUnbounded))
    range.max = static_cast<std::uint64_t>(high);
  std::sort(excluded.begin(), excluded.end());
  excluded.erase(std::unique(excluded.begin(), excluded.end()), excluded.end());
  range.excluded = std::move(excluded);
  return range;
}

void read_condition(const YAML::Node& node, CorrelationRule& rule) {
  if (node.IsScalar() && rule.temporal()) {  // pySigma's extended temporal condition
    rule.extended_condition = node.Scalar();
    return;
  }
  if (!node.IsMap()) reject(line_of(node), "the correlation condition is a map such as {gte: 10}");
  static const std::array<const char*, 6> kComparisons = {"gt", "gte", "lt", "lte", "eq", "neq"};
  bool has_percentile = false;
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    if (key == "field") {
      rule.fields = list_of(entry.second, "the condition field");
    } else if (key == "percentile") {
      const Scalar p = resolve_scalar(entry.second.IsScalar() ? entry.second.Scalar() : "", true);
      if (p.type != Scalar::Type::kNumber || p.number.real < 0 || p.number.real > 100)
        reject(line_of(entry.second), "percentile must be a number from 0 to 100");
      rule.percentile = p.number.real;
      has_percentile = true;
    } else if (std::find(kComparisons.begin(), kComparisons.end(), key) != kComparisons.end()) {
      const Scalar v = resolve_scalar(entry.second.IsScalar() ? entry.second.Scalar() : "", true);
      if (v.type != Scalar::Type::kNumber)
        reject(line_of(entry.second), "'" + key + "' needs a number");
      rule.condition.bounds.push_back({key, v.number.real});
    } else {
      reject(line_of(entry.first), "unknown correlation condition '" + key +
                                       "'; use gt, gte, lt, lte, eq, neq, field or percentile");
    }
  }
  if (rule.condition.bounds.empty())
    reject(line_of(node), "the correlation condition has no comparison (gt, gte, lt, lte, eq)");
  if (rule.type == "value_percentile" && !has_percentile)
    reject(line_of(node),
           "a value_percentile correlation needs the percentile in its "
           "condition: percentile: 95");
  if (reads_field(rule.type) && rule.fields.empty())
    reject(line_of(node), "a " + rule.type +
                              " correlation needs the field to count in its "
                              "condition: field: NAME");
  if (rule.numeric()) return;  // judged on a number, not a count
  rule.counts = count_range(rule.condition);
  if (rule.counts.accepts_nothing())
    reject(line_of(node),
           "the correlation condition accepts no count: its bounds exclude one "
           "another (counts are whole numbers of at least 1)");
}

}  // namespace

CorrelationRule parse_correlation(const YAML::Node& doc, RuleInfo info) {
  CorrelationRule rule;
  rule.info = std::move(info);
  const YAML::Node c = doc["correlation"];
  if (!c.IsMap()) reject(line_of(c), "'correlation' must be a map with type, rules, timespan...");
  try {
    check_unique_keys(c);
  } catch (const YamlError& e) {
    reject(e.line(), e.what());
  }
  static const std::array<const char*, 8> kTypes = {"event_count",      "value_count", "temporal",
                                                    "temporal_ordered", "value_sum",   "value_avg",
                                                    "value_percentile", "value_median"};
  const YAML::Node type = c["type"];
  rule.type = type && type.IsScalar() ? type.Scalar() : std::string();
  if (std::find(kTypes.begin(), kTypes.end(), rule.type) == kTypes.end())
    reject(type ? line_of(type) : line_of(c),
           "correlation type '" + rule.type +
               "' is not one of event_count, value_count, "
               "temporal, temporal_ordered, value_sum, value_avg, value_percentile, value_median");
  if (!c["rules"]) reject(line_of(c), "the correlation names no rules ('rules:')");
  rule.rules = list_of(c["rules"], "'rules'");
  if (rule.rules.empty()) reject(line_of(c["rules"]), "the correlation names no rules");
  const bool temporal = rule.temporal();
  if (c["group-by"]) {
    rule.group_by = list_of(c["group-by"], "'group-by'");
  } else if (!temporal) {
    reject(line_of(c),
           "a " + rule.type + " correlation needs 'group-by' (the fields to count per)");
  }
  if (!c["timespan"]) reject(line_of(c), "the correlation needs a 'timespan' such as 1h");
  rule.timespan_seconds = timespan_seconds(c["timespan"]);
  if (c["condition"]) {
    read_condition(c["condition"], rule);
  } else if (temporal) {
    // As pySigma: all the rules, each at least once.
    rule.counts.min = rule.rules.size();
    rule.condition.bounds.push_back({"gte", static_cast<double>(rule.rules.size())});
  } else {
    reject(line_of(c), "a " + rule.type + " correlation needs a condition such as {gte: 10}");
  }
  if (rule.type == "value_median") rule.percentile = 50;
  if (const YAML::Node aliases = c["aliases"]) {
    if (!aliases.IsMap())
      reject(line_of(aliases), "'aliases' maps alias names to {rule: field} maps");
    for (const auto& alias : aliases) {
      if (!alias.second.IsMap())
        reject(line_of(alias.second),
               "alias '" + alias.first.as<std::string>() + "' must map rule names to field names");
      for (const auto& field : alias.second)
        rule.aliases[alias.first.as<std::string>()][field.first.as<std::string>()] =
            field.second.IsScalar() ? field.second.Scalar() : std::string();
    }
  }
  if (const YAML::Node generate = c["generate"] ? c["generate"] : doc["generate"]) {
    const Scalar g = resolve_scalar(generate.IsScalar() ? generate.Scalar() : "", true);
    if (g.type != Scalar::Type::kBoolean) reject(line_of(generate), "'generate' is true or false");
    rule.generate = g.boolean;
  }
  return rule;
}

GlobalFilter parse_filter(const YAML::Node& doc, RuleInfo info, const LoadOptions& options) {
  GlobalFilter filter;
  filter.info = std::move(info);
  const YAML::Node f = doc["filter"];
  if (!f.IsMap())
    reject(line_of(f), "'filter' must be a map with rules, selections and a condition");
  if (!f["rules"]) reject(line_of(f), "the filter names no rules ('rules:')");
  filter.rules = list_of(f["rules"], "'rules'");
  YAML::Node detection(YAML::NodeType::Map);
  for (const auto& entry : f)
    if (entry.first.as<std::string>() != "rules") detection[entry.first] = entry.second;
  filter.filter.info = filter.info;
  compile_detection(detection, options, filter.filter);
  return filter;
}

}  // namespace agentsweep::rules
