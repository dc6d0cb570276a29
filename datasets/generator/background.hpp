/** @file
 * Background (non-incident) traffic. Its guarantees, which docs/schema.md repeats:
 *  - never an agent reserved for an incident;
 *  - at most `cap` events per agent per chunk, chunks being minute slices, so no agent
 *    ever exceeds kBurstLimitEvents in any kBurstWindowMillis window;
 *  - every event uses the actor's own API key (no key is ever shared across agents);
 *  - admin endpoints only by agents with the `admin` scope, key management only with
 *    `keys:write`, private resources only of the actor or an agent of its operator;
 *  - bytes_out below kBackgroundMaxBytesOut; content from word lists without secrets.
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "event.hpp"
#include "population.hpp"
#include "prng.hpp"

namespace agentsweep::gen {

/** Per-chunk event counts per agent (open addressing, reused between chunks). */
class AgentCaps {
 public:
  /** Forgets all counts; sized for `events` distinct agents at most. */
  void reset(std::uint64_t events, std::uint32_t cap);
  /** Counts one event for `agent` unless it already has `cap`; true when counted. */
  bool try_take(std::uint32_t agent);

 private:
  std::vector<std::uint64_t> slots_;  ///< (agent + 1) << 32 | count, 0 = empty
  std::uint64_t mask_ = 0;
  std::uint32_t cap_ = 0;
};

class BackgroundTraffic {
 public:
  explicit BackgroundTraffic(const Population& population) : population_(population) {}

  /** A background event at `ts_ms`; generated content goes to `content` which the
   * event's content view then points at. */
  [[nodiscard]] Event draw(Rng& rng, std::int64_t ts_ms, AgentCaps& caps,
                           std::string& content) const;

 private:
  [[nodiscard]] std::uint32_t draw_agent(Rng& rng, AgentCaps& caps) const;
  [[nodiscard]] Action draw_action(Rng& rng, std::uint8_t scopes) const;
  [[nodiscard]] std::uint32_t private_owner(Rng& rng, std::uint32_t reader) const;

  const Population& population_;
};

}  // namespace agentsweep::gen
