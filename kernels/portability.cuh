/** @file
 * Lets one source of per-event logic compile with nvcc (as __host__ __device__
 * code) and with a plain C++ compiler (as ordinary inline functions).
 */
#pragma once

#if defined(__CUDACC__)
#define AGENTSWEEP_HD __host__ __device__
#else
#define AGENTSWEEP_HD
#endif

#include <cstdint>

namespace agentsweep::kernels {

AGENTSWEEP_HD inline int popcount64(std::uint64_t x) {
#if defined(__CUDA_ARCH__)
  return __popcll(x);
#else
  return __builtin_popcountll(x);
#endif
}

}  // namespace agentsweep::kernels
