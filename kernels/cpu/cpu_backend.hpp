/** @file
 * The CPU backend: scan_batch.inl on Thrust's OpenMP system.
 */
#pragma once

#include <memory>

#include "host/engine/backend.hpp"

namespace agentsweep::backends {

/// Uses `threads` OpenMP threads (0: all cores).
std::unique_ptr<engine::Backend> make_cpu_backend(int threads = 0);

}  // namespace agentsweep::backends
