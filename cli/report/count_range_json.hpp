/** @file
 * A correlation condition in reports and saved states, as Sigma writes it with
 * whole numbers: {"gte": 12, "lte": 28}, {"gte": 1, "neq": [3]}.
 */
#pragma once

#include <nlohmann/json.hpp>

#include "host/engine/count_range.hpp"

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

}  // namespace agentsweep::report
