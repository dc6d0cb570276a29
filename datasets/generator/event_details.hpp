/** @file
 * The ordinary details of an event once its actor, time and action are known: which
 * post, comment or message it touches, its status, response size and latency, producer
 * and user agent. Background traffic and incidents share these so that incident lines
 * differ from background only in what makes them an incident.
 */
#pragma once

#include <cstdint>

#include "event.hpp"
#include "population.hpp"
#include "prng.hpp"

namespace agentsweep::gen {

/** An event of `agent` at `ts_ms` with its own key, operator, scopes, address. */
Event actor_event(const Population& population, std::uint32_t agent, std::int64_t ts_ms);

/** Fills objects, target agent, status, bytes_out (< kBackgroundMaxBytesOut), latency,
 * producer and user agent for `event.action`; sets content_source for content actions. */
void fill_ordinary_details(Event& event, Rng& rng, const Population& population);

/** True for actions that carry `content`. */
constexpr bool carries_content(Action action) {
  return action == Action::kPostCreate || action == Action::kCommentCreate ||
         action == Action::kDmSend;
}

}  // namespace agentsweep::gen
