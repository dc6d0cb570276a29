/** @file
 * Turns one schedule chunk into text: its background events, evenly spread over the
 * chunk's time slice with jitter, merged in time order with the incident events planned
 * for that slice. A chunk's bytes depend only on (seed, chunk index), so chunks can be
 * generated on any thread in any order.
 */
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "ids.hpp"
#include "incidents.hpp"
#include "json_writer.hpp"
#include "population.hpp"
#include "schedule.hpp"
#include "text_buffer.hpp"

namespace agentsweep::gen {

struct ChunkText {
  TextBuffer text;
  std::uint64_t lines = 0;
  /** (index into IncidentPlan::events, 0-based line within this chunk) */
  std::vector<std::pair<std::size_t, std::uint64_t>> incident_lines;
};

class ChunkGenerator {
 public:
  ChunkGenerator(std::uint64_t seed, const IdFormats& ids, const Population& population,
                 const IncidentPlan& plan)
      : seed_(seed), writer_(ids), population_(population), plan_(plan) {}

  [[nodiscard]] ChunkText generate(const Chunk& chunk) const;

 private:
  std::uint64_t seed_;
  JsonWriter writer_;
  const Population& population_;
  const IncidentPlan& plan_;
};

}  // namespace agentsweep::gen
