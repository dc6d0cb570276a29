/** @file
 * A streaming 64-bit hash of entity ids (agents, operators), identical on
 * every backend so aggregation keys never depend on where they were computed.
 */
#pragma once

#include <cstdint>

#include "kernels/portability.cuh"

namespace agentsweep::kernels {

/// Key reserved for "no entity": real ids never hash to it (see finish()).
inline constexpr std::uint64_t kNoEntity = 0;

/// FNV-1a over bytes, finished with the murmur3 fmix64 avalanche step.
class EntityHasher {
 public:
  AGENTSWEEP_HD void add(unsigned char byte) { state_ = (state_ ^ byte) * 0x100000001b3ULL; }

  AGENTSWEEP_HD std::uint64_t finish() const {
    std::uint64_t h = state_;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h == kNoEntity ? 1 : h;
  }

 private:
  std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

}  // namespace agentsweep::kernels
