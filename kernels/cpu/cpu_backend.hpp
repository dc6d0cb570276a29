/** @file
 * The CPU backend: scan_batch.inl on Thrust's sequential host system, one
 * batch per lane, each lane on its own thread.
 */
#pragma once

#include <memory>

#include "host/engine/backend.hpp"

namespace agentsweep::backends {

/// Scans `lanes` batches at once (0: one per core).
std::unique_ptr<engine::Backend> make_cpu_backend(int lanes = 0);

}  // namespace agentsweep::backends
