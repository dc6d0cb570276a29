/** @file
 * Lets one source of per-event logic compile with nvcc (as __host__ __device__
 * code) and with a plain C++ compiler (as ordinary inline functions).
 */
#pragma once

#if defined(__CUDACC__)
#define AGENTSWEEP_HD __host__ __device__
/// Before templates that call what they are given (functors, lambdas): host
/// code may pass host-only callables, which nvcc would otherwise reject.
#define AGENTSWEEP_CALLS_ANY_CALLABLE _Pragma("nv_exec_check_disable")
#else
#define AGENTSWEEP_HD
#define AGENTSWEEP_CALLS_ANY_CALLABLE
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

/// Index of the lowest set bit; `x` must not be 0.
AGENTSWEEP_HD inline int lowest_bit(std::uint64_t x) {
#if defined(__CUDA_ARCH__)
  return __ffsll(static_cast<long long>(x)) - 1;
#else
  return __builtin_ctzll(x);
#endif
}

}  // namespace agentsweep::kernels
