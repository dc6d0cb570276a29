/** @file
 * Backend parameterisation for tests: every backend-dependent test runs on
 * the CPU, and on CUDA where a device exists (skipped visibly otherwise).
 */
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "kernels/backend_select.hpp"
#include "kernels/cpu/cpu_backend.hpp"
#if defined(AGENTSWEEP_HAVE_CUDA)
#include "kernels/cuda/cuda_backend.hpp"
#endif

namespace agentsweep::testing {

/// "cpu_reduced" is the CPU backend running the batch reduction of the CUDA
/// backend (kernels::BatchRows::kReduced), so that machines without a GPU test it.
inline const std::vector<std::string> kBackendNames{"cpu", "cpu_reduced", "cuda"};

/// The backends `agentsweep scan --backend` offers, for tests that run the binary.
inline const std::vector<std::string> kCliBackendNames{"cpu", "cuda"};

/// The named backend (CUDA's with `gpu_memory`), or null with the reason in
/// `skip_reason` when it cannot run here.
inline std::unique_ptr<engine::Backend> backend_or_skip(
    std::string& skip_reason, const std::string& name,
    [[maybe_unused]] std::size_t gpu_memory = backends::kDefaultGpuMemory) {
  if (name == "cpu") return backends::make_cpu_backend();
  if (name == "cpu_reduced") return backends::make_cpu_backend(0, kernels::BatchRows::kReduced);
#if defined(AGENTSWEEP_HAVE_CUDA)
  std::string why;
  if (backends::cuda_device_count(why) > 0) return backends::make_cuda_backend(gpu_memory);
  skip_reason = "no CUDA device on this machine (" + why + ")";
#else
  skip_reason = "this build has no CUDA backend (nvcc not found at configure time)";
#endif
  return nullptr;
}

/// AGENTSWEEP_BACKEND_OR_SKIP(var, name [, gpu_memory]): `var` is the backend,
/// or the test is skipped with the reason.
#define AGENTSWEEP_BACKEND_OR_SKIP(var, ...)                                         \
  std::string var##_skip_reason;                                                     \
  auto var = ::agentsweep::testing::backend_or_skip(var##_skip_reason, __VA_ARGS__); \
  if (!var) GTEST_SKIP() << var##_skip_reason

}  // namespace agentsweep::testing
