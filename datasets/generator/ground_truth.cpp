/** @file Serialises incidents and event locations (see ground_truth.hpp). */
#include "ground_truth.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "clock.hpp"
#include "text_buffer.hpp"

namespace agentsweep::gen {
namespace {

std::string timestamp(std::int64_t epoch_ms) {
  TextBuffer out;
  out.reserve_more(32);
  append_timestamp(out, epoch_ms);
  return std::string(out.view());
}

nlohmann::json options_json(const GeneratorOptions& options) {
  return {{"seed", options.seed},
          {"events", options.events},
          {"days", options.days},
          {"agents", options.agents},
          {"operators", options.operators},
          {"start_date", format_date(options.start_day)},
          {"per_hour", options.per_hour},
          {"compression", options.plain ? "none" : "zstd"},
          {"zstd_level", options.zstd_level},
          {"frame_size", options.frame_size},
          {"fleet_jump_agents", fleet_jump_size(options)}};
}

nlohmann::json limits_json() {
  return {{"burst_limit_events", kBurstLimitEvents},
          {"burst_window_ms", kBurstWindowMillis},
          {"background_max_bytes_out", kBackgroundMaxBytesOut},
          {"exfiltration_min_bytes_out", kExfiltrationMinBytesOut},
          {"dormant_silent_days", kDormantSilentDays}};
}

}  // namespace

void write_ground_truth(const std::filesystem::path& path, const GeneratorOptions& options,
                        const IdFormats& ids, const IncidentPlan& plan,
                        const std::vector<EventLocation>& locations,
                        const std::vector<GeneratedFile>& files) {
  std::vector<std::vector<std::size_t>> events_of(plan.incidents.size());
  for (std::size_t i = 0; i < plan.events.size(); ++i)
    events_of[plan.events[i].incident].push_back(i);

  nlohmann::json incidents = nlohmann::json::array();
  for (std::size_t n = 0; n < plan.incidents.size(); ++n) {
    const Incident& incident = plan.incidents[n];
    auto& members = events_of[n];
    std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
      return locations[a].event_number < locations[b].event_number;
    });
    nlohmann::json agents = nlohmann::json::array();
    for (std::uint32_t agent : incident.agents) agents.push_back(ids.agent.format(agent));
    nlohmann::json operators = nlohmann::json::array();
    for (std::uint32_t op : incident.operators) operators.push_back(ids.operator_.format(op));
    nlohmann::json keys = nlohmann::json::array();
    for (std::uint64_t key : incident.keys) keys.push_back(ids.api_key.format(key));
    nlohmann::json events = nlohmann::json::array();
    for (std::size_t member : members) {
      const EventLocation& where = locations[member];
      events.push_back({{"file", files[where.file].name},
                        {"line", where.line},
                        {"event_id", ids.event.format(where.event_number)},
                        {"role", plan.events[member].role}});
    }
    const std::string kind(incident_kind_name(incident.kind));
    incidents.push_back(
        {{"id", kind + "-" + std::to_string(incident.ordinal)},
         {"kind", kind},
         {"agents", agents},
         {"operators", operators},
         {"keys", keys},
         {"time_range",
          {{"start", timestamp(incident.first_ts_ms)}, {"end", timestamp(incident.last_ts_ms)}}},
         {"details", incident.details},
         {"event_count", members.size()},
         {"events", events}});
  }

  nlohmann::json counts = nlohmann::json::object();
  for (std::size_t kind = 0; kind < kIncidentKindCount; ++kind) {
    counts[std::string(kIncidentKindNames[kind])] = options.incidents[kind];
  }
  nlohmann::json file_list = nlohmann::json::array();
  for (const GeneratedFile& file : files) {
    file_list.push_back({{"name", file.name},
                         {"lines", file.lines},
                         {"frames", file.frames},
                         {"bytes", file.bytes}});
  }
  const nlohmann::json truth = {{"format", "agentsweep-ground-truth/1"},
                                {"options", options_json(options)},
                                {"limits", limits_json()},
                                {"files", file_list},
                                {"incident_counts", counts},
                                {"incidents", incidents}};

  std::ofstream out(path, std::ios::binary);
  out << truth.dump(1) << '\n';
  out.close();
  if (!out) {
    throw std::runtime_error("cannot write " + path.string() +
                             " (check the --out directory and free disk space)");
  }
}

}  // namespace agentsweep::gen
