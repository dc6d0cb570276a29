/** @file
 * Building a ScanPlan from options, and reading pattern files.
 */
#include "host/engine/scan_plan.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace agentsweep::engine {

ScanPlan make_scan_plan(const ScanPlanOptions& options) {
  if (options.pattern_fields.size() > kMaxPatternFields)
    throw std::invalid_argument("at most " + std::to_string(kMaxPatternFields) +
                                " fields can be pattern scopes in one scan");
  const kernels::EntityFields entities;
  std::vector<std::string> paths(kernels::EntityFields::kCount);
  paths[entities.agent] = options.entities.agent;
  paths[entities.op] = options.entities.op;
  paths[entities.key] = options.entities.key;
  paths[entities.ip] = options.entities.ip;
  paths[entities.time] = options.entities.time;
  paths.insert(paths.end(), options.pattern_fields.begin(), options.pattern_fields.end());
  std::vector<PatternSpec> patterns = options.patterns;
  for (PatternSpec& spec : patterns)
    if (spec.field != kWholeLine) spec.field += kernels::EntityFields::kCount;
  return ScanPlan{FieldPaths(std::move(paths)), entities,
                  compile_patterns(patterns, options.limits)};
}

std::vector<std::string> read_pattern_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open pattern file: " + std::strerror(errno));
  std::vector<std::string> patterns;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty())
      throw std::runtime_error(path + ": line " + std::to_string(number) +
                               ": empty pattern would match every line; remove the blank line");
    patterns.push_back(std::move(line));
  }
  if (in.bad()) throw std::runtime_error(path + ": read failed: " + std::strerror(errno));
  return patterns;
}

}  // namespace agentsweep::engine
