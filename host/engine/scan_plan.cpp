/** @file
 * Building a ScanPlan from options, and reading pattern files.
 */
#include "host/engine/scan_plan.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <numeric>
#include <stdexcept>

namespace agentsweep::engine {

std::size_t ScanPlan::automaton_states() const {
  return std::accumulate(
      automata.begin(), automata.end(), std::size_t{0},
      [](std::size_t sum, const LiteralAutomaton& a) { return sum + a.states(); });
}

std::size_t ScanPlan::automaton_memory() const {
  return std::accumulate(
      automata.begin(), automata.end(), std::size_t{0},
      [](std::size_t sum, const LiteralAutomaton& a) { return sum + a.memory_bytes(); });
}

ScanPlan make_scan_plan(const ScanPlanOptions& options) {
  return ScanPlan{FieldPaths({options.agent_field, options.operator_field}),
                  kernels::EntityFields{0, 1}, options.patterns,
                  compile_literals(options.patterns, options.pattern_memory)};
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
