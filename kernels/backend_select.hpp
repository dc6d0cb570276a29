/** @file
 * Picks the backend a scan runs on: `--backend auto|cpu|cuda`, or the
 * AGENTSWEEP_BACKEND environment variable when no flag is given.
 */
#pragma once

#include <memory>
#include <string>

#include "host/engine/backend.hpp"

namespace agentsweep::backends {

enum class BackendChoice { kAuto, kCpu, kCuda };

struct SelectedBackend {
  std::unique_ptr<engine::Backend> backend;
  std::string note;  ///< why this one, for stderr (e.g. "no GPU: ..., using the CPU backend")
};

/// auto: CUDA when this build has it and a device is present, else CPU.
/// cuda: throws std::runtime_error with the reason when it cannot run.
SelectedBackend select_backend(BackendChoice choice, int cpu_threads);

/// True when this binary was built with the CUDA backend.
bool built_with_cuda();

}  // namespace agentsweep::backends
