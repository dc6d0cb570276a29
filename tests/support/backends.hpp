/** @file
 * Backend parameterisation for tests: every backend-dependent test runs on
 * the CPU, and on CUDA where a device exists (skipped visibly otherwise).
 */
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "kernels/backend_select.hpp"
#include "kernels/cpu/cpu_backend.hpp"
#if defined(AGENTSWEEP_HAVE_CUDA)
#include "kernels/cuda/cuda_backend.hpp"
#endif

namespace agentsweep::testing {

inline const std::vector<std::string> kBackendNames{"cpu", "cuda"};

/// The named backend, or a GTEST_SKIP with the reason when it cannot run here.
inline std::unique_ptr<engine::Backend> backend_or_skip(const std::string& name,
                                                        std::string& skip_reason) {
  if (name == "cpu") return backends::make_cpu_backend();
#if defined(AGENTSWEEP_HAVE_CUDA)
  std::string why;
  if (backends::cuda_device_count(why) > 0) return backends::make_cuda_backend();
  skip_reason = "no CUDA device on this machine (" + why + ")";
#else
  skip_reason = "this build has no CUDA backend (nvcc not found at configure time)";
#endif
  return nullptr;
}

#define AGENTSWEEP_BACKEND_OR_SKIP(var, name)                                 \
  std::string var##_skip_reason;                                              \
  auto var = ::agentsweep::testing::backend_or_skip(name, var##_skip_reason); \
  if (!var) GTEST_SKIP() << var##_skip_reason

}  // namespace agentsweep::testing
