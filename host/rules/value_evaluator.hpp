/** @file
 * The host reference for value predicates: each ValueTest evaluated on a parsed event.
 * A backend evaluating value predicates is tested against this.
 */
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/rules/predicates.hpp"

namespace agentsweep::rules {

/// Whether `predicate` holds for `event` (a JSON object); `fields` are the rule's paths.
///  - kNumber: JSON numbers compare by value (integers exactly); equality also accepts a
///    string spelled as the rule wrote the number, case-insensitively ("4688", "0x1F").
///  - kFieldRef: both values present and of one type; strings compare exactly (as the
///    `how` says), numbers by value, booleans as they are.
bool evaluate(const ValuePredicate& predicate, const nlohmann::json& event,
              const std::vector<std::string>& fields);

}  // namespace agentsweep::rules
