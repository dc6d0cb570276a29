/** @file Checks on GeneratorOptions that do not need the population (see options.hpp). */
#include "options.hpp"

#include <algorithm>

namespace agentsweep::gen {

std::optional<IncidentKind> incident_kind_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kIncidentKindCount; ++i) {
    if (kIncidentKindNames[i] == name) return static_cast<IncidentKind>(i);
  }
  return std::nullopt;
}

std::uint32_t fleet_jump_size(const GeneratorOptions& options) {
  if (options.fleet_jump_agents != 0) return options.fleet_jump_agents;
  return static_cast<std::uint32_t>(std::clamp<std::uint64_t>(options.agents / 100, 10, 3000));
}

std::string validate(const GeneratorOptions& options) {
  if (options.events == 0) return "--events must be at least 1";
  if (options.days < 1 || options.days > 3660) return "--days must be between 1 and 3660";
  if (options.operators < 1) return "--operators must be at least 1";
  if (options.agents < options.operators) {
    return "--agents must be at least --operators (every operator runs at least one agent)";
  }
  if (options.agents > (1ULL << 32) - 1) return "--agents must be below 4294967295";
  if (options.zstd_level < 1 || options.zstd_level > 19) return "--level must be between 1 and 19";
  if (options.frame_size < 4096) return "--frame-size must be at least 4096 bytes";
  if (options.count(IncidentKind::kDormantWake) > 0 && options.days < kDormantMinDays) {
    return "dormant_wake needs --days " + std::to_string(kDormantMinDays) + " or more (activity, " +
           std::to_string(kDormantSilentDays) +
           " silent days, wake); raise --days or pass --incident dormant_wake=0";
  }
  if (options.fleet_jump_agents != 0 && options.fleet_jump_agents < 10) {
    return "--fleet-jump-agents must be at least 10 (or 0 for 1 % of --agents)";
  }
  return {};
}

}  // namespace agentsweep::gen
