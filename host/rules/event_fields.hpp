/** @file
 * A JSON event's fields read with nlohmann::json, independently of the engine's own JSON
 * scanner, so the reference matcher can check it: field values as the pattern engine
 * sees them (strings decoded, numbers and booleans as written, anything else nothing),
 * and JSON values for value predicates. Paths follow objects only; with duplicate keys
 * the last one wins, as in the engine.
 */
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace agentsweep::rules {

/// For each path, the text a field-scoped pattern is matched against, or nothing (absent,
/// null, object or array). Nothing at all when the line is not one JSON object.
std::optional<std::vector<std::optional<std::string>>> field_texts(
    std::string_view line, const std::vector<std::string>& paths);

/// The value at dotted `path`, following objects only; nullptr when absent.
const nlohmann::json* find_field(const nlohmann::json& event, const std::string& path);

}  // namespace agentsweep::rules
