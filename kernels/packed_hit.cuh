/** @file
 * A hit of a rule or a pattern on a line, packed as id << 32 | line: sorting
 * the packed values orders hits by id, then line, and the same functors read
 * both kinds.
 */
#pragma once

#include <cstdint>

#include "kernels/portability.cuh"
#include "kernels/scan_line.cuh"

namespace agentsweep::kernels {

/// The rule's or the pattern's index.
struct IdOfHit {
  AGENTSWEEP_HD std::uint32_t operator()(std::uint64_t hit) const {
    return static_cast<std::uint32_t>(hit >> 32);
  }
};

/// The agent key of the hit's line.
struct AgentOfHit {
  const LineRecord* records;
  AGENTSWEEP_HD std::uint64_t operator()(std::uint64_t hit) const {
    return records[hit & 0xffffffffu].agent.key;
  }
};

}  // namespace agentsweep::kernels
