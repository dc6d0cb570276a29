/** @file
 * A correlation condition in reports and saved states, as Sigma writes it: for
 * counts, whole numbers ({"gte": 12, "lte": 28}, {"gte": 1, "neq": [3]}); for
 * the numeric types, the bounds as written ({"gt": 1000.5}).
 */
#pragma once

#include <nlohmann/json.hpp>

#include "host/engine/count_range.hpp"
#include "host/engine/value_condition.hpp"

namespace agentsweep::report {

inline nlohmann::json count_range_json(const engine::CountRange& counts) {
  nlohmann::json doc{{"gte", counts.min}};
  if (counts.max != engine::CountRange::kUnbounded) doc["lte"] = counts.max;
  if (!counts.excluded.empty()) doc["neq"] = counts.excluded;
  return doc;
}

inline engine::CountRange count_range_from_json(const nlohmann::json& doc) {
  engine::CountRange counts;
  counts.min = doc.at("gte");
  counts.max = doc.value("lte", engine::CountRange::kUnbounded);
  counts.excluded = doc.value("neq", std::vector<std::uint64_t>{});
  return counts;
}

/// The bounds as a list, since `neq` may repeat: [["gt", 1000.5], ["neq", 2000]].
inline nlohmann::json value_condition_json(const engine::ValueCondition& condition) {
  nlohmann::json doc = nlohmann::json::array();
  for (const engine::ValueBound& b : condition.bounds) doc.push_back({b.comparison, b.value});
  return doc;
}

inline engine::ValueCondition value_condition_from_json(const nlohmann::json& doc) {
  engine::ValueCondition condition;
  for (const nlohmann::json& b : doc)
    condition.bounds.push_back({b.at(0).get<std::string>(), b.at(1).get<double>()});
  return condition;
}

}  // namespace agentsweep::report
