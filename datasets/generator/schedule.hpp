/** @file
 * How many events each slice of time gets, and which file it goes to. The run is cut
 * into chunks: one per minute (or a few equal parts of a busy minute), each with a
 * fixed number of background events following a daily rhythm, the incident events whose
 * time falls inside it, and a per-agent cap that keeps background below the burst limit
 * (a 60 s window overlaps at most two minutes, each holding at most 60 events of an
 * agent). Chunks depend only on the options, never on the thread count, which is what
 * makes output identical for every --threads.
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "incidents.hpp"
#include "options.hpp"

namespace agentsweep::gen {

struct PlannedFile {
  std::string name;  ///< e.g. 2026-03-01.jsonl.zst or 2026-03-01T13.jsonl
  std::int64_t start_ms = 0;
};

struct Chunk {
  std::uint64_t index = 0;  ///< seeds the chunk's random stream
  std::uint32_t file = 0;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;  ///< exclusive
  std::uint64_t background_events = 0;
  std::uint32_t agent_cap = 0;     ///< background events per agent in this chunk, at most
  std::size_t injected_begin = 0;  ///< range of IncidentPlan::events inside the chunk
  std::size_t injected_end = 0;
  std::uint64_t first_event_number = 0;
};

struct Schedule {
  std::vector<PlannedFile> files;
  std::vector<Chunk> chunks;
};

/** Background events a single chunk may hold; busier minutes are split into parts. */
inline constexpr std::uint64_t kMaxChunkEvents = 16'384;

/** Builds the schedule; throws std::invalid_argument (user-facing) when the background
 * rate cannot stay below the burst limit with `free_agents` agents. */
Schedule make_schedule(const GeneratorOptions& options, const IncidentPlan& plan,
                       std::uint64_t free_agents);

}  // namespace agentsweep::gen
