/** @file Ordinary event details shared by background and incidents (see event_details.hpp). */
#include "event_details.hpp"

#include "options.hpp"

namespace agentsweep::gen {
namespace {

/** Object numbers of posts etc. are 48-bit; created keys live above every agent index. */
constexpr std::uint64_t kObjectMask = (1ULL << 48) - 1;
constexpr std::uint64_t kCreatedKeyBase = 1ULL << 40;

std::uint16_t draw_status(Rng& rng, Action action) {
  const std::uint64_t roll = rng.below(10'000);
  if (roll < 30) return 500;
  if (roll < 45) return 503;
  if (roll < 120) return 404;
  if (roll < 160 && action != Action::kPostRead && action != Action::kPrivateRead) return 400;
  switch (action) {
    case Action::kPostCreate:
    case Action::kCommentCreate:
    case Action::kDmSend:
    case Action::kFollowCreate:
    case Action::kKeyCreate:
      return 201;
    default:
      return 200;
  }
}

std::uint64_t draw_bytes_out(Rng& rng, Action action) {
  const double u = rng.fraction();
  const double tail = u * u * u * u;  // heavy tail, still below the background maximum
  if (action == Action::kPostRead || action == Action::kPrivateRead) {
    return 300 + rng.below(4000) + static_cast<std::uint64_t>(tail * 900'000.0);
  }
  return 90 + rng.below(400) + static_cast<std::uint64_t>(tail * 4000.0);
}

std::uint32_t draw_latency(Rng& rng) {
  const double u = rng.fraction();
  return static_cast<std::uint32_t>(4 + rng.below(60) +
                                    static_cast<std::uint64_t>(u * u * u * u * u * 2500.0));
}

}  // namespace

Event actor_event(const Population& population, std::uint32_t agent, std::int64_t ts_ms) {
  Event event;
  event.ts_ms = ts_ms;
  event.agent = agent;
  event.operator_index = population.operator_of(agent);
  event.api_key = agent;
  event.scopes = population.scopes_of(agent);
  event.user_agent = population.user_agent_of(agent);
  event.ip = population.ip_of(agent);
  return event;
}

void fill_ordinary_details(Event& event, Rng& rng, const Population& population) {
  event.producer = rng.below(100) < 55 ? Producer::kGateway : Producer::kWorker;
  event.has_user_agent = rng.below(100) >= (event.producer == Producer::kWorker ? 12u : 3u);
  event.object = rng.next() & kObjectMask;
  event.parent = rng.next() & kObjectMask;
  event.target_agent = static_cast<std::uint32_t>(rng.below(population.agent_count()));
  switch (event.action) {
    case Action::kPrivateRead:
      event.target_agent = event.agent;
      break;
    case Action::kKeyCreate:
      event.object = kCreatedKeyBase | (event.object & (kCreatedKeyBase - 1));
      break;
    case Action::kKeyRotate:
      event.object = event.api_key;
      break;
    default:
      break;
  }
  event.status = draw_status(rng, event.action);
  event.bytes_out = draw_bytes_out(rng, event.action);
  event.latency_ms = draw_latency(rng);
  event.content_source =
      carries_content(event.action) ? ContentSource::kGenerated : ContentSource::kNone;
}

}  // namespace agentsweep::gen
