/** @file
 * Incident planning: before any background line is drawn, every incident event is
 * decided (time, actor, key, action, content) so that ground truth is exact. Incident
 * actors are reserved agents: background never uses them, so every event of an agent in
 * an incident's `agents` list belongs to that incident and to no other.
 */
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "event.hpp"
#include "ids.hpp"
#include "options.hpp"
#include "population.hpp"

namespace agentsweep::gen {

struct Incident {
  IncidentKind kind{};
  std::uint32_t ordinal = 0;                          ///< 1-based within its kind
  std::vector<std::uint32_t> agents;                  ///< actors (agent indexes)
  std::vector<std::uint32_t> operators;               ///< operators involved (operator indexes)
  std::vector<std::uint64_t> keys;                    ///< API key numbers involved
  nlohmann::json details = nlohmann::json::object();  ///< kind-specific facts
  std::int64_t first_ts_ms = 0;
  std::int64_t last_ts_ms = 0;
};

struct PlannedEvent {
  Event event;
  std::uint32_t incident = 0;  ///< index into IncidentPlan::incidents
  std::string_view role;       ///< the event's part in the incident, e.g. "stolen_use"
};

struct IncidentPlan {
  std::vector<Incident> incidents;
  std::vector<PlannedEvent> events;  ///< sorted by time
  std::deque<std::string> texts;     ///< literal contents the events point into
};

/** Plans every configured incident within [window_start_ms, window_end_ms); reserves the
 * actors in `population`. Throws std::invalid_argument (user-facing message) when the
 * population is too small for them. */
IncidentPlan plan_incidents(const GeneratorOptions& options, const IdFormats& ids,
                            Population& population, std::int64_t window_start_ms,
                            std::int64_t window_end_ms);

}  // namespace agentsweep::gen
