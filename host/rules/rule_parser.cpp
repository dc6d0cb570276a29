/** @file
 * Rule metadata.
 */
#include "host/rules/rule_parser.hpp"

#include <algorithm>
#include <array>

#include "host/rules/rule_error.hpp"
#include "host/rules/yaml_documents.hpp"

namespace agentsweep::rules {
namespace {

[[noreturn]] void reject(int line, const std::string& reason) {
  throw RuleError(IssueKind::kRejected, line, reason);
}

std::string optional_string(const YAML::Node& doc, const char* key) {
  const YAML::Node node = doc[key];
  if (!node || node.IsNull()) return {};
  if (!node.IsScalar()) reject(line_of(node), std::string("'") + key + "' must be a string");
  return node.Scalar();
}

std::vector<std::string> optional_list(const YAML::Node& doc, const char* key) {
  const YAML::Node node = doc[key];
  if (!node || node.IsNull()) return {};
  try {
    return string_list(node, std::string("'") + key + "'");
  } catch (const YamlError& e) {
    reject(e.line(), e.what());
  }
}

template <std::size_t N>
std::string one_of(const YAML::Node& doc, const char* key,
                   const std::array<const char*, N>& allowed) {
  const std::string value = optional_string(doc, key);
  if (value.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end())
    return value;
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  reject(line_of(doc[key]),
         std::string("'") + key + "' is '" + value + "'; Sigma's values are " + list);
}

}  // namespace

DocumentKind kind_of(const YAML::Node& document) {
  if (document.IsMap() && document["correlation"]) return DocumentKind::kCorrelation;
  if (document.IsMap() && document["filter"]) return DocumentKind::kFilter;
  return DocumentKind::kDetection;
}

RuleInfo identify(const YAML::Node& document, const std::string& file, int line) {
  RuleInfo info;
  info.file = file;
  info.line = line;
  if (!document.IsMap()) return info;
  for (const auto& [key, field] :
       {std::pair{"id", &RuleInfo::id}, {"title", &RuleInfo::title}, {"name", &RuleInfo::name}}) {
    const YAML::Node node = document[key];
    if (node && node.IsScalar()) info.*field = node.Scalar();
  }
  return info;
}

RuleInfo parse_rule_info(const YAML::Node& doc, const std::string& file, int line) {
  if (!doc.IsMap())
    reject(line,
           "a rule is a YAML map with title, logsource, detection and so on; this "
           "document is not a map");
  try {
    check_unique_keys(doc);
  } catch (const YamlError& e) {
    reject(e.line(), e.what());
  }
  RuleInfo info = identify(doc, file, line);
  if (optional_string(doc, "title").empty())
    reject(line, "the rule has no title; every Sigma rule needs one");
  optional_string(doc, "id");
  optional_string(doc, "name");
  info.description = optional_string(doc, "description");
  info.status = one_of(doc, "status",
                       std::array{"stable", "test", "experimental", "deprecated", "unsupported"});
  info.level =
      one_of(doc, "level", std::array{"informational", "low", "medium", "high", "critical"});
  info.tags = optional_list(doc, "tags");
  info.references = optional_list(doc, "references");
  info.falsepositives = optional_list(doc, "falsepositives");
  const YAML::Node logsource = doc["logsource"];
  if (logsource && logsource.IsMap()) {
    try {
      check_unique_keys(logsource);
    } catch (const YamlError& e) {
      reject(e.line(), "logsource: " + std::string(e.what()));
    }
    for (const auto& entry : logsource) {
      if (!entry.second.IsScalar() && !entry.second.IsNull())
        reject(line_of(entry.second), "logsource values must be strings");
      info.logsource.emplace_back(entry.first.as<std::string>(),
                                  entry.second.IsNull() ? std::string() : entry.second.Scalar());
    }
  } else if (logsource || kind_of(doc) != DocumentKind::kCorrelation) {
    reject(logsource ? line_of(logsource) : line,
           "the rule needs a 'logsource' map (category, product, service) saying which "
           "events it is written for");
  }
  return info;
}

}  // namespace agentsweep::rules
