/** @file Background traffic drawing (see background.hpp for its guarantees). */
#include "background.hpp"

#include <bit>
#include <stdexcept>

#include "content.hpp"
#include "event_details.hpp"

namespace agentsweep::gen {

void AgentCaps::reset(std::uint64_t events, std::uint32_t cap) {
  const std::uint64_t size = std::bit_ceil(events * 2 + 16);
  slots_.assign(size, 0);
  mask_ = size - 1;
  cap_ = cap;
}

bool AgentCaps::try_take(std::uint32_t agent) {
  const std::uint64_t tag = static_cast<std::uint64_t>(agent) + 1;
  std::uint64_t slot = (tag * 0x9E3779B97F4A7C15ULL >> 20) & mask_;
  while (true) {
    std::uint64_t& entry = slots_[slot];
    if (entry == 0) {
      entry = tag << 32 | 1;
      return true;
    }
    if (entry >> 32 == tag) {
      if ((entry & 0xFFFFFFFF) >= cap_) return false;
      ++entry;
      return true;
    }
    slot = (slot + 1) & mask_;
  }
}

Event BackgroundTraffic::draw(Rng& rng, std::int64_t ts_ms, AgentCaps& caps,
                              std::string& content) const {
  const std::uint32_t agent = draw_agent(rng, caps);
  Event event = actor_event(population_, agent, ts_ms);
  event.action = draw_action(rng, event.scopes);
  fill_ordinary_details(event, rng, population_);
  if (event.action == Action::kPrivateRead) event.target_agent = private_owner(rng, agent);
  if (event.content_source == ContentSource::kGenerated) {
    compose_content(rng, event.action, content);
    event.content = content;
  }
  return event;
}

std::uint32_t BackgroundTraffic::draw_agent(Rng& rng, AgentCaps& caps) const {
  // Activity-weighted draws first; capped or reserved agents fall back to uniform draws,
  // which the schedule's capacity check guarantees will find room.
  for (int attempt = 0; attempt < 8; ++attempt) {
    const std::uint32_t agent = population_.draw_active_agent(rng);
    if (!population_.is_reserved(agent) && caps.try_take(agent)) return agent;
  }
  for (std::uint64_t attempt = 0; attempt < (1ULL << 32); ++attempt) {
    const auto agent = static_cast<std::uint32_t>(rng.below(population_.agent_count()));
    if (!population_.is_reserved(agent) && caps.try_take(agent)) return agent;
  }
  throw std::logic_error("no background agent below the rate cap: schedule check failed");
}

Action BackgroundTraffic::draw_action(Rng& rng, std::uint8_t scopes) const {
  const ScopeSet& allowed = scope_set(scopes);
  const std::uint64_t roll = rng.below(10'000);
  Action action = Action::kPostRead;
  if (roll < 3700)
    action = Action::kPostRead;
  else if (roll < 4300)
    action = Action::kPrivateRead;
  else if (roll < 6300)
    action = Action::kVoteCast;
  else if (roll < 7600)
    action = Action::kCommentCreate;
  else if (roll < 8400)
    action = Action::kPostCreate;
  else if (roll < 9100)
    action = Action::kDmSend;
  else if (roll < 9700)
    action = Action::kFollowCreate;
  else if (roll < 9850)
    action = Action::kKeyRotate;
  else if (roll < 9930)
    action = Action::kKeyCreate;
  else if (roll < 9970)
    action = Action::kAdminConfigRead;
  else
    action = Action::kAdminRoleGrant;

  switch (action) {
    case Action::kVoteCast:
    case Action::kCommentCreate:
    case Action::kPostCreate:
      return allowed.posts ? action : Action::kPostRead;
    case Action::kDmSend:
    case Action::kFollowCreate:
      return allowed.social ? action : Action::kPostRead;
    case Action::kKeyRotate:
    case Action::kKeyCreate:
      return allowed.keys ? action : Action::kPrivateRead;
    case Action::kAdminConfigRead:
    case Action::kAdminRoleGrant:
      return allowed.admin ? action : Action::kPostRead;
    default:
      return action;
  }
}

std::uint32_t BackgroundTraffic::private_owner(Rng& rng, std::uint32_t reader) const {
  // A third of private reads touch a fleet mate's memory; fleet jumps moved some agents
  // to other operators, so the owner's operator is checked, never assumed.
  const std::uint32_t op = population_.operator_of(reader);
  if (rng.below(3) != 0 || population_.fleet_size(op) < 2) return reader;
  const auto mate = static_cast<std::uint32_t>(population_.fleet_start(op) +
                                               rng.below(population_.fleet_size(op)));
  return population_.operator_of(mate) == op ? mate : reader;
}

}  // namespace agentsweep::gen
