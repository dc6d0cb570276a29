/** @file
 * Picks the backend a scan runs on: `--backend auto|cpu|cuda`, or the
 * AGENTSWEEP_BACKEND environment variable when no flag is given.
 */
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "host/engine/backend.hpp"

namespace agentsweep::backends {

enum class BackendChoice { kAuto, kCpu, kCuda };

/// --gpu-memory's default: room for the default batches on every lane next to
/// a large pattern set's tables, on any current data-centre GPU.
inline constexpr std::size_t kDefaultGpuMemory = std::size_t{4} << 30;

struct SelectedBackend {
  std::unique_ptr<engine::Backend> backend;
  std::string note;  ///< why this one, for stderr (e.g. "no GPU: ..., using the CPU backend")
};

/// auto: CUDA when this build has it and a device is present, else CPU.
/// cuda: throws std::runtime_error with the reason when it cannot run.
/// `gpu_memory`: the CUDA backend's cap on device memory.
SelectedBackend select_backend(BackendChoice choice, int cpu_threads,
                               std::size_t gpu_memory = kDefaultGpuMemory);

/// True when this binary was built with the CUDA backend.
bool built_with_cuda();

}  // namespace agentsweep::backends
