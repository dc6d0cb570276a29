/** @file
 * ground_truth.json: the exact answer key of a run. For each incident: kind, id, actor
 * agents, operators, keys, time range, kind-specific details, and the file, 1-based line,
 * event id and role of every event that belongs to it (format in docs/schema.md).
 */
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "generator.hpp"
#include "ids.hpp"
#include "incidents.hpp"
#include "options.hpp"

namespace agentsweep::gen {

/** Where a planned incident event ended up. */
struct EventLocation {
  std::uint32_t file = 0;
  std::uint64_t line = 0;  ///< 1-based
  std::uint64_t event_number = 0;
};

void write_ground_truth(const std::filesystem::path& path, const GeneratorOptions& options,
                        const IdFormats& ids, const IncidentPlan& plan,
                        const std::vector<EventLocation>& locations,
                        const std::vector<GeneratedFile>& files);

}  // namespace agentsweep::gen
