/** @file
 * Field mapping files.
 */
#include "host/rules/field_mapping.hpp"

#include <stdexcept>

#include "host/engine/field_paths.hpp"
#include "host/rules/yaml_documents.hpp"

namespace agentsweep::rules {

FieldMapping FieldMapping::load(const std::string& path) {
  FieldMapping mapping;
  for_each_map_entry(path, "a field mapping: Sigma field names to JSON paths",
                     [&](const std::string& field, std::vector<std::string> paths) {
                       mapping.add(field, std::move(paths));
                     });
  return mapping;
}

void FieldMapping::add(const std::string& field, std::vector<std::string> paths) {
  if (paths.empty()) throw std::invalid_argument("field '" + field + "' is mapped to no JSON path");
  for (const std::string& p : paths) check_field_path(p);
  paths_[field] = std::move(paths);
}

std::vector<std::string> FieldMapping::paths_of(const std::string& field) const {
  const auto it = paths_.find(field);
  return it == paths_.end() ? std::vector<std::string>{field} : it->second;
}

void check_field_path(const std::string& path) {
  engine::FieldPaths paths({path});  // throws with the engine's own explanation
}

}  // namespace agentsweep::rules
