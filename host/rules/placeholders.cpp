/** @file
 * Placeholder value files.
 */
#include "host/rules/placeholders.hpp"

#include <stdexcept>

#include "host/rules/yaml_documents.hpp"

namespace agentsweep::rules {

Placeholders Placeholders::load(const std::string& path) {
  Placeholders placeholders;
  for_each_map_entry(path, "placeholder values: placeholder names to lists of values",
                     [&](const std::string& name, std::vector<std::string> values) {
                       placeholders.add(name, std::move(values));
                     });
  return placeholders;
}

void Placeholders::add(const std::string& name, std::vector<std::string> values) {
  if (values.empty()) throw std::invalid_argument("placeholder '" + name + "' has no values");
  values_[name] = std::move(values);
}

const std::vector<std::string>* Placeholders::values_of(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

}  // namespace agentsweep::rules
