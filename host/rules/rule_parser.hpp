/** @file
 * One rule document read: what kind it is (detection rule, correlation rule, global
 * filter) and its metadata, checked against the Sigma specification.
 */
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "host/rules/rule_info.hpp"

namespace agentsweep::rules {

enum class DocumentKind : std::uint8_t { kDetection, kCorrelation, kFilter };

DocumentKind kind_of(const YAML::Node& document);

/// The id and title as far as they can be read, for reports about a broken rule.
RuleInfo identify(const YAML::Node& document, const std::string& file, int line);

/// The metadata of a well-formed rule. Throws RuleError (kRejected) for a missing title,
/// an unknown level or status, fields of the wrong type, or (detection rules and
/// filters) a missing logsource.
RuleInfo parse_rule_info(const YAML::Node& document, const std::string& file, int line);

}  // namespace agentsweep::rules
