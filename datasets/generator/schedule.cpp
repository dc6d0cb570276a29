/** @file Daily rhythm, minute chunks and file boundaries (see schedule.hpp). */
#include "schedule.hpp"

#include <array>
#include <numeric>
#include <stdexcept>

#include "clock.hpp"

namespace agentsweep::gen {
namespace {

/** Relative traffic per UTC hour: quiet night, busy afternoon. */
constexpr std::array<std::uint64_t, 24> kHourWeights = {55,  45,  38,  33,  30,  32,  40,  55,
                                                        75,  92,  105, 112, 118, 120, 122, 120,
                                                        116, 112, 108, 104, 98,  90,  80,  68};
constexpr std::uint32_t kAgentEventsPerMinute = kBurstLimitEvents / 2;

/** Splits `total` into parts proportional to `weights`, remainder to the first parts. */
template <std::size_t N>
std::array<std::uint64_t, N> split(std::uint64_t total,
                                   const std::array<std::uint64_t, N>& weights) {
  const std::uint64_t weight_sum =
      std::accumulate(weights.begin(), weights.end(), std::uint64_t{0});
  std::array<std::uint64_t, N> parts{};
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < N; ++i) {
    // total * weight fits in 64 bits for any total below 1.5e17.
    parts[i] = total / weight_sum * weights[i] + total % weight_sum * weights[i] / weight_sum;
    given += parts[i];
  }
  for (std::size_t i = 0; given < total; i = (i + 1) % N, ++given) ++parts[i];
  return parts;
}

std::string file_name(const GeneratorOptions& options, std::int64_t day, int hour) {
  std::string name = format_date(day);
  if (options.per_hour) {
    name += 'T';
    name += static_cast<char>('0' + hour / 10);
    name += static_cast<char>('0' + hour % 10);
  }
  return name + (options.plain ? ".jsonl" : ".jsonl.zst");
}

}  // namespace

Schedule make_schedule(const GeneratorOptions& options, const IncidentPlan& plan,
                       std::uint64_t free_agents) {
  if (plan.events.size() > options.events / 2) {
    throw std::invalid_argument("the incidents need " + std::to_string(plan.events.size()) +
                                " events, more than half of --events; raise --events or lower "
                                "the incident counts");
  }
  const std::uint64_t background = options.events - plan.events.size();
  const auto days = static_cast<std::uint64_t>(options.days);
  constexpr std::array<std::uint64_t, 60> kFlatMinutes = [] {
    std::array<std::uint64_t, 60> flat{};
    flat.fill(1);
    return flat;
  }();

  Schedule schedule;
  std::size_t next_injected = 0;
  std::uint64_t next_event = 0;
  for (std::uint64_t day = 0; day < days; ++day) {
    const std::uint64_t day_events = background / days + (day < background % days ? 1 : 0);
    const auto hours = split(day_events, kHourWeights);
    const std::int64_t day_number = options.start_day + static_cast<std::int64_t>(day);
    for (int hour = 0; hour < 24; ++hour) {
      if (hour == 0 || options.per_hour) {
        schedule.files.push_back({file_name(options, day_number, hour),
                                  day_number * kMillisPerDay + hour * kMillisPerHour});
      }
      const auto minutes = split(hours[static_cast<std::size_t>(hour)], kFlatMinutes);
      for (int minute = 0; minute < 60; ++minute) {
        const std::int64_t minute_start =
            day_number * kMillisPerDay + hour * kMillisPerHour + minute * kMillisPerMinute;
        const std::uint64_t minute_events = minutes[static_cast<std::size_t>(minute)];
        const std::uint64_t parts =
            std::max<std::uint64_t>(1, (minute_events + kMaxChunkEvents - 1) / kMaxChunkEvents);
        const auto cap = static_cast<std::uint32_t>(kAgentEventsPerMinute / parts);
        if (cap == 0 || minute_events > cap * parts * free_agents / 4) {
          throw std::invalid_argument("too many events per minute for " +
                                      std::to_string(free_agents) +
                                      " background agents to stay below the burst limit (" +
                                      std::to_string(kBurstLimitEvents) +
                                      " events per agent per minute); raise --days "
                                      "or --agents, or lower --events");
        }
        for (std::uint64_t part = 0; part < parts; ++part) {
          Chunk chunk;
          chunk.index = schedule.chunks.size();
          chunk.file = static_cast<std::uint32_t>(schedule.files.size() - 1);
          chunk.start_ms = minute_start + static_cast<std::int64_t>(part) * kMillisPerMinute /
                                              static_cast<std::int64_t>(parts);
          chunk.end_ms = minute_start + static_cast<std::int64_t>(part + 1) * kMillisPerMinute /
                                            static_cast<std::int64_t>(parts);
          chunk.background_events = minute_events / parts + (part < minute_events % parts ? 1 : 0);
          chunk.agent_cap = cap;
          chunk.injected_begin = next_injected;
          while (next_injected < plan.events.size() &&
                 plan.events[next_injected].event.ts_ms < chunk.end_ms) {
            ++next_injected;
          }
          chunk.injected_end = next_injected;
          chunk.first_event_number = next_event;
          next_event += chunk.background_events + (chunk.injected_end - chunk.injected_begin);
          schedule.chunks.push_back(chunk);
        }
      }
    }
  }
  return schedule;
}

}  // namespace agentsweep::gen
